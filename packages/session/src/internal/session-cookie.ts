import type { ServerResponse } from 'node:http';
import { checkBoolean, checkOneOf, checkString, InvalidOptionError } from '@koa-fleet/errors';
import {
  checkCookieKeys,
  cookieSigner,
  type CookieKeys,
  type CookieSigner,
} from './cookie-signer.js';
import { cookieAttributes, readCookie } from './cookie-header.js';

/** The session() options the cookie takes, as given. */
export type CookieOptionsInput = Partial<
  Record<'key' | 'signed' | 'path' | 'domain' | 'sameSite' | 'httpOnly' | 'secure', unknown>
>;

export interface ResolvedCookieOptions {
  name: string;
  signed: boolean;
  path: string;
  domain: string | undefined;
  sameSite: 'lax' | 'strict' | 'none';
  httpOnly: boolean;
  /** undefined: secure exactly when the request came over HTTPS. */
  secure: boolean | undefined;
}

/** The request side the cookie needs: Koa's `ctx`, reduced to what is read. */
export interface CookieContext {
  app: { keys?: unknown };
  secure: boolean;
  headerSent: boolean;
  req: { headers: { cookie?: string } };
  res: ServerResponse;
}

export interface ReadSessionCookie {
  id: string;
  /** Signed with an older key of `app.keys`: send it again signed with the newest. */
  resign: boolean;
}

const EPOCH = new Date(0);
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The cookie's options checked once, with their defaults; `appKeys` must sign a signed one. */
export function resolveCookieOptions(
  options: CookieOptionsInput,
  appKeys: unknown,
): ResolvedCookieOptions {
  const name = checkString('key', options.key ?? 'kf.sid');
  if (!COOKIE_NAME.test(name)) {
    throw new InvalidOptionError(
      'key',
      'a cookie name (letters, digits, . _ - and the like)',
      name,
    );
  }
  const signed = checkBoolean('signed', options.signed ?? true);
  if (signed) checkCookieKeys('app.keys', appKeys);
  return {
    name,
    signed,
    path: checkAttribute('path', options.path ?? '/'),
    domain: options.domain === undefined ? undefined : checkAttribute('domain', options.domain),
    sameSite: checkOneOf('sameSite', options.sameSite ?? 'lax', ['lax', 'strict', 'none'] as const),
    httpOnly: checkBoolean('httpOnly', options.httpOnly ?? true),
    secure: options.secure === undefined ? undefined : checkBoolean('secure', options.secure),
  };
}

// A `;` or a control character in an attribute would let it add attributes of its own.
function checkAttribute(option: string, value: unknown): string {
  const text = checkString(option, value);
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f;]/.test(text)) {
    throw new InvalidOptionError(
      option,
      'cookie attribute text without ; or control characters',
      text,
    );
  }
  return text;
}

/**
 * The cookie pair (`<name>` and, when signed, `<name>.sig`) that carries a session id, in the
 * format koa-session writes, so cookies stay valid across a switch between the two.
 */
export class SessionCookie {
  readonly #options: ResolvedCookieOptions;
  readonly #sigName: string;
  #keys: unknown;
  #signer: CookieSigner | undefined;

  constructor(options: ResolvedCookieOptions) {
    this.#options = options;
    this.#sigName = `${options.name}.sig`;
  }

  /** The session id the request carries, if its signature checks out. */
  read(ctx: CookieContext): ReadSessionCookie | undefined {
    const header = ctx.req.headers.cookie;
    const id = readCookie(header, this.#options.name);
    if (!id) return undefined;
    if (!this.#options.signed) return { id, resign: false };
    const signature = readCookie(header, this.#sigName);
    if (!signature) return undefined;
    const index = this.#signerFor(ctx).index(`${this.#options.name}=${id}`, signature);
    return index < 0 ? undefined : { id, resign: index > 0 };
  }

  /** Tells the browser to drop the session cookie (logout, destroyed session). */
  clear(ctx: CookieContext): void {
    this.write(ctx, '', EPOCH);
  }

  /** Sets the cookie to `value`, expiring at `expires` (never: a browser-session cookie). */
  write(ctx: CookieContext, value: string, expires: Date | undefined): void {
    if (ctx.headerSent) return;
    const options = this.#options;
    const attributes = cookieAttributes({
      path: options.path,
      domain: options.domain,
      expires,
      sameSite: options.sameSite,
      secure: options.secure ?? ctx.secure,
      httpOnly: options.httpOnly,
    });
    const lines = [`${options.name}=${value}${attributes}`];
    if (options.signed) {
      const signature = value === '' ? '' : this.#signerFor(ctx).sign(`${options.name}=${value}`);
      lines.push(`${this.#sigName}=${signature}${attributes}`);
    }
    // A second write in one request (regenerate, then save) replaces the first.
    const previous = ctx.res.getHeader('set-cookie');
    if (previous !== undefined) {
      const others = (Array.isArray(previous) ? previous : [String(previous)]).filter(
        (line) => !line.startsWith(`${options.name}=`) && !line.startsWith(`${this.#sigName}=`),
      );
      lines.unshift(...others);
    }
    ctx.res.setHeader('Set-Cookie', lines);
  }

  #signerFor(ctx: CookieContext): CookieSigner {
    // app.keys may be replaced at run time (key rotation): follow it.
    const keys = ctx.app.keys;
    if (keys !== this.#keys || !this.#signer) {
      this.#signer = cookieSigner(keys as CookieKeys);
      this.#keys = keys;
    }
    return this.#signer;
  }
}
