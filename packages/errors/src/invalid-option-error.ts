import { FleetError } from './fleet-error.js';

/** Thrown at construction when an option is wrong; the message names the option. */
export class InvalidOptionError extends FleetError {
  readonly option: string;

  constructor(option: string, expected: string, got: unknown) {
    super('KF_INVALID_OPTION', `option "${option}" must be ${expected}, got ${describe(got)}`);
    this.option = option;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'function') return `a function`;
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
