import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { checkMethods, InvalidOptionError } from '@koa-fleet/errors';

/** What Koa accepts as `app.keys`: secrets (newest first) or a Keygrip-like signer. */
export type CookieKeys = ReadonlyArray<string | Buffer> | KeygripLike;

export interface KeygripLike {
  sign(data: string): string;
  index(data: string, digest: string): number;
}

export interface CookieSigner {
  sign(data: string): string;
  /** Which key made `digest` (0 = the newest), or -1 when none did. */
  index(data: string, digest: string): number;
}

export function isCookieKeys(keys: unknown): keys is CookieKeys {
  if (Array.isArray(keys)) {
    return keys.length > 0 && keys.every((k) => typeof k === 'string' || Buffer.isBuffer(k));
  }
  const signer = keys as Partial<KeygripLike> | null;
  return typeof signer?.sign === 'function' && typeof signer.index === 'function';
}

/** `app.keys` checked once, for a signed cookie: secrets, or a Keygrip-like signer by its shape. */
export function checkCookieKeys(option: string, keys: unknown): CookieKeys {
  if (isCookieKeys(keys)) return keys;
  if (typeof keys === 'object' && keys !== null && !Array.isArray(keys)) {
    checkMethods(option, keys, ['sign', 'index'], 'a Keygrip-like signer'); // names what it lacks
  }
  throw new InvalidOptionError(
    option,
    'set when signed is true (cookies are signed with them)',
    keys,
  );
}

/**
 * Signs exactly as Koa's own cookies do (Keygrip: HMAC-SHA1 of `name=value`, base64url), so a
 * cookie written by koa-session with the same `app.keys` is accepted here and the other way
 * round — switching between the two keeps every user logged in.
 */
export function cookieSigner(keys: CookieKeys): CookieSigner {
  if (!Array.isArray(keys)) return keys as KeygripLike;
  // Key objects made once: createHmac with a raw key imports it again on every call.
  const secrets = (keys as ReadonlyArray<string | Buffer>).map((key) =>
    createSecretKey(typeof key === 'string' ? Buffer.from(key) : key),
  );
  const hmac = (data: string, key: KeyObject): string =>
    createHmac('sha1', key).update(data).digest('base64url');
  return {
    sign: (data) => hmac(data, secrets[0]!),
    index(data, digest) {
      const given = Buffer.from(digest);
      for (let i = 0; i < secrets.length; i++) {
        const expected = Buffer.from(hmac(data, secrets[i]!));
        if (expected.length === given.length && timingSafeEqual(expected, given)) return i;
      }
      return -1;
    },
  };
}
