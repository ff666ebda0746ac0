import { randomBytes } from 'node:crypto';

// Session ids come from the cookie, i.e. from the client: anything but this shape is refused
// before it reaches a key (no hash-tag braces, no unbounded length).
const SESSION_ID = /^[A-Za-z0-9_-]{16,128}$/;

export function isValidSessionId(id: unknown): id is string {
  return typeof id === 'string' && SESSION_ID.test(id);
}

/** 144 random bits from the OS CSPRNG, URL- and cookie-safe. */
export function generateSessionId(): string {
  return randomBytes(18).toString('base64url');
}
