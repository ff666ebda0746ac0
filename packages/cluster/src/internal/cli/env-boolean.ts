import { InvalidOptionError } from '@koa-fleet/errors';

const ON = ['1', 'true', 'yes', 'on'];
const OFF = ['0', 'false', 'no', 'off', ''];

/**
 * The value of a boolean flag's environment variable. Commander turns any defined variable into
 * `true` for a flag without an argument, so `=false` would switch it on; this reads the text.
 */
export function parseEnvBoolean(option: string, text: string): boolean {
  const value = text.trim().toLowerCase();
  if (ON.includes(value)) return true;
  if (OFF.includes(value)) return false;
  throw new InvalidOptionError(option, '1, true, yes or on, or 0, false, no, off or empty', text);
}
