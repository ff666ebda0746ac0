import { checkKnownKeys, InvalidOptionError } from '@koa-fleet/errors';

/**
 * A nested option that must be an object of known keys (`timeouts`, `keepAlive`, a backend):
 * names it by its path when it is not one (or by `name`, for one given on its own, whose keys
 * are named without a path), and rejects a key its type does not have.
 */
export function checkOptionObject<T extends object>(
  path: string,
  value: unknown,
  keys: readonly string[],
  expected = 'an object',
  name = path,
): Partial<T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(name, expected, value);
  }
  checkKnownKeys(path, value, keys);
  return value as Partial<T>;
}
