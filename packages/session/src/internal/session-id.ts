import { randomFillSync } from 'node:crypto';

// What every store accepts as an id, in get, set, destroy and the atomic helpers alike: the
// characters a cookie value may hold (RFC 6265 cookie-octets: printable ASCII but space, " , ; \)
// less { and } (they would change the Redis Cluster hash tag of `{prefix}{<id>}`), 16 to 128 of
// them. That covers this package's ids and all koa-session makes by default: randomUUID(),
// `${prefix}${randomUUID()}` (a prefix up to 92 characters), and a genid of that shape. Ids come
// from the cookie, i.e. from the client: nothing else ever reaches a key.
const SESSION_ID = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7a\x7c\x7e]{16,128}$/;

/** The rule above, in words, for error messages and the README. */
export const SESSION_ID_RULE =
  '16 to 128 characters a cookie value may hold (printable ASCII but space, " , ; \\), without { or }';

export function isValidSessionId(id: unknown): id is string {
  return typeof id === 'string' && SESSION_ID.test(id);
}

// koa-session calls genid for every request that arrives without a session cookie. One
// randomBytes(18) per id was one call into the CSPRNG each time: ~10 % of the CPU of a
// cookieless request in the bench profile (koa-session's default randomUUID() batches, so
// koa-redis paid 0.4 %). Same bytes from the same OS CSPRNG, drawn 128 ids at a time — as
// crypto.randomUUID() does — and each byte handed out exactly once.
const ID_BYTES = 18;
const pool = Buffer.alloc(ID_BYTES * 128);
let used = pool.length; // filled on first use, in the process that uses it

/** 144 random bits from the OS CSPRNG, URL- and cookie-safe. */
export function generateSessionId(): string {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const id = pool.toString('base64url', used, used + ID_BYTES);
  used += ID_BYTES;
  return id;
}
