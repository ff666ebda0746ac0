/**
 * The two pieces of cookie text the session middleware needs, without a general cookie jar:
 * one value out of a `Cookie` request header, and one `Set-Cookie` line.
 */

/** The value of cookie `name` in a `Cookie` header (first occurrence), or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  const wanted = `${name}=`;
  let at = header.indexOf(wanted);
  while (at !== -1) {
    // A match must start the header or follow a separator, so `xkf.sid=` is not `kf.sid=`.
    const before = at === 0 ? ';' : header[at - 1];
    if (before === ';' || before === ' ' || before === '\t') {
      const start = at + wanted.length;
      const end = header.indexOf(';', start);
      let value = (end === -1 ? header.slice(start) : header.slice(start, end)).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
        value = value.slice(1, -1);
      }
      return value;
    }
    at = header.indexOf(wanted, at + 1);
  }
  return undefined;
}

export interface CookieAttributes {
  path: string;
  domain: string | undefined;
  /** Absent: a browser-session cookie. */
  expires: Date | undefined;
  sameSite: 'lax' | 'strict' | 'none' | undefined;
  secure: boolean;
  httpOnly: boolean;
}

/**
 * The attributes part of a `Set-Cookie` line (`; path=/; expires=…`), in the order Koa's
 * cookies module writes them; shared by the id cookie and its signature.
 */
export function cookieAttributes(attributes: CookieAttributes): string {
  let text = `; path=${attributes.path}`;
  if (attributes.expires) text += `; expires=${httpDate(attributes.expires)}`;
  if (attributes.domain) text += `; domain=${attributes.domain}`;
  if (attributes.sameSite) text += `; samesite=${attributes.sameSite}`;
  if (attributes.secure) text += '; secure';
  if (attributes.httpOnly) text += '; httponly';
  return text;
}

// Date#toUTCString has whole seconds, and every response in the same second shares the text.
let cachedSecond = Number.NaN;
let cachedText = '';

function httpDate(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== cachedSecond) {
    cachedText = new Date(second * 1000).toUTCString();
    cachedSecond = second;
  }
  return cachedText;
}
