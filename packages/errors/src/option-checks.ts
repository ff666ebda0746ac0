import { InvalidOptionError } from './invalid-option-error.js';
import { parseBytes, parseDuration } from './units.js';

/**
 * Small guards for validating options once, at construction. Each returns the checked (and,
 * for durations and sizes, parsed) value or throws an InvalidOptionError naming the option.
 */

export interface IntegerBounds {
  min?: number;
  max?: number;
}

export function checkInteger(option: string, value: unknown, bounds: IntegerBounds = {}): number {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = bounds;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidOptionError(option, describeRange('an integer', min, max), value);
  }
  return value;
}

export function checkNumber(option: string, value: unknown, bounds: IntegerBounds = {}): number {
  const { min = -Infinity, max = Infinity } = bounds;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
    throw new InvalidOptionError(option, describeRange('a number', min, max), value);
  }
  return value;
}

export function checkPort(option: string, value: unknown, { allowZero = true } = {}): number {
  return checkInteger(option, value, { min: allowZero ? 0 : 1, max: 65_535 });
}

/** A duration in milliseconds: a number, or text such as `'10s'`, `'500ms'`, `'2m'`. */
export function checkDuration(option: string, value: unknown, bounds: IntegerBounds = {}): number {
  const parsed =
    typeof value === 'number' || typeof value === 'string' ? parseDuration(value) : undefined;
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = bounds;
  if (parsed === undefined || parsed < min || parsed > max) {
    throw new InvalidOptionError(
      option,
      describeRange('a duration (milliseconds, or text such as "10s")', min, max, 'ms'),
      value,
    );
  }
  return parsed;
}

/** A size in bytes: a number, or text such as `'512mb'`. */
export function checkBytes(option: string, value: unknown, bounds: IntegerBounds = {}): number {
  const parsed =
    typeof value === 'number' || typeof value === 'string' ? parseBytes(value) : undefined;
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = bounds;
  if (parsed === undefined || parsed < min || parsed > max) {
    throw new InvalidOptionError(
      option,
      describeRange('a size (bytes, or text such as "512mb")', min, max, 'bytes'),
      value,
    );
  }
  return parsed;
}

export function checkString(option: string, value: unknown, { nonEmpty = true } = {}): string {
  if (typeof value !== 'string' || (nonEmpty && value.length === 0)) {
    throw new InvalidOptionError(option, nonEmpty ? 'a non-empty string' : 'a string', value);
  }
  return value;
}

export function checkBoolean(option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new InvalidOptionError(option, 'true or false', value);
  return value;
}

export function checkFunction<T extends (...args: never[]) => unknown>(
  option: string,
  value: unknown,
): T {
  if (typeof value !== 'function') throw new InvalidOptionError(option, 'a function', value);
  return value as T;
}

export function checkOneOf<const T extends readonly string[]>(
  option: string,
  value: unknown,
  allowed: T,
): T[number] {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new InvalidOptionError(
      option,
      `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
      value,
    );
  }
  return value as T[number];
}

/**
 * An object from another library (a prom-client Registry, a worker IPC) is accepted by shape:
 * it must have these methods. `what` names the thing for the message, e.g. `a prom-client Registry`.
 */
export function checkMethods<T extends object>(
  option: string,
  value: unknown,
  methods: readonly string[],
  what: string,
): T {
  const holder = value as Record<string, unknown> | null;
  const missing =
    (typeof value === 'object' || typeof value === 'function') && value !== null
      ? methods.filter((name) => typeof holder?.[name] !== 'function')
      : methods;
  if (missing.length > 0) {
    const need = methods.map((name) => `${name}()`).join(', ');
    throw new InvalidOptionError(option, `${what} (an object with ${need})`, value);
  }
  return value as T;
}

/** Rejects keys the caller did not expect, so a typo (`worker: 4`) is not silently ignored. */
export function checkKnownKeys(option: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const path = option ? `${option}.${key}` : key;
      throw new InvalidOptionError(path, `one of the known options (${known.join(', ')})`, key);
    }
  }
}

function describeRange(what: string, min: number, max: number, unit = ''): string {
  const suffix = unit ? ` ${unit}` : '';
  const hasMin = Number.isFinite(min) && min > Number.MIN_SAFE_INTEGER;
  const hasMax = Number.isFinite(max) && max < Number.MAX_SAFE_INTEGER;
  if (hasMin && hasMax) return `${what} from ${min} to ${max}${suffix}`;
  if (hasMin) return `${what} ≥ ${min}${suffix}`;
  if (hasMax) return `${what} ≤ ${max}${suffix}`;
  return what;
}
