import { FleetError } from './fleet-error.js';

/**
 * Thrown at construction when an option is wrong; the message names the option. The parts of the
 * message are fields too, so a front end (the CLI) can say it with its own name for the option.
 */
export class InvalidOptionError extends FleetError {
  readonly option: string;
  /** What the option must be, e.g. `an integer from 1 to 1024`. */
  readonly expected: string;
  /** The value given, as the message shows it (`0`, `"lots"`). */
  readonly got: string;

  constructor(option: string, expected: string, got: unknown) {
    const shown = describe(got);
    super('KF_INVALID_OPTION', `option "${option}" must be ${expected}, got ${shown}`);
    this.option = option;
    this.expected = expected;
    this.got = shown;
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
