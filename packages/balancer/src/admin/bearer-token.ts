import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * The admin token, checked in constant time: both sides are hashed first, so the comparison is
 * over two digests of equal length and neither the token's length nor a matching prefix shows in
 * how long a wrong guess takes.
 */
export class BearerToken {
  readonly #digest: Buffer;

  constructor(token: string) {
    this.#digest = digest(token);
  }

  /** Whether an `Authorization` header carries the token (`Bearer <token>`). */
  accepts(header: string | undefined): boolean {
    const match = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
    // A missing or malformed header still costs one comparison, as a wrong token does.
    const given = digest(match?.[1] ?? '');
    return timingSafeEqual(given, this.#digest) && match !== null;
  }
}
