/** A cookie-keeping HTTP client that spreads its requests over several servers, like a balancer. */
export interface Reply {
  status: number;
  headers: Headers;
  setCookies: string[];
  body: Record<string, unknown>;
}

export class Browser {
  readonly cookies = new Map<string, string>();
  #next = 0;

  constructor(readonly urls: readonly string[]) {}

  /** A second browser holding a copy of this one's cookies (e.g. a stale tab). */
  clone(): Browser {
    const copy = new Browser(this.urls);
    for (const [name, value] of this.cookies) copy.cookies.set(name, value);
    return copy;
  }

  /** GET `path`; `server` pins the request to one server, otherwise they take turns. */
  async get(path: string, query: Record<string, unknown> = {}, server?: number): Promise<Reply> {
    const base = this.urls[(server ?? this.#next++) % this.urls.length]!;
    const url = new URL(path, base);
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      url.searchParams.set(key, key === 'value' ? JSON.stringify(value) : String(value));
    }
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { headers: cookie ? { cookie } : {} });
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) this.#store(line);
    const text = await response.text();
    const body = parseBody(text);
    return { status: response.status, headers: response.headers, setCookies, body };
  }

  #store(line: string): void {
    const [pair = ''] = line.split(';');
    const index = pair.indexOf('=');
    const name = pair.slice(0, index).trim();
    const value = pair.slice(index + 1).trim();
    if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

/** Session data as the fixture app reports it. */
export function data(reply: Reply): Record<string, unknown> {
  return reply.body.data as Record<string, unknown>;
}

function parseBody(text: string): Record<string, unknown> {
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return { text };
  }
}
