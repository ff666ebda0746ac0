import type { Agent } from 'node:http';
import { httpRequest, type HttpReply } from '@koa-fleet/testkit';

/** The session cookie of the system app (`session()`'s default key). */
const SESSION_COOKIE = 'kf.sid';

/**
 * One user of the system: a cookie jar, and its requests one at a time over a keep-alive agent,
 * as a browser tab sends them. `sessionId` is the id the store keys the session by.
 */
export class SessionClient {
  readonly #cookies = new Map<string, string>();

  constructor(
    readonly url: string,
    readonly agent: Agent,
  ) {}

  get sessionId(): string | undefined {
    return this.#cookies.get(SESSION_COOKIE);
  }

  async request(method: 'GET' | 'POST', path: string, timeout = 10_000): Promise<HttpReply> {
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const reply = await httpRequest(`${this.url}${path}`, {
      method,
      agent: this.agent,
      timeout,
      headers: cookie ? { cookie } : {},
    });
    for (const line of reply.setCookies) this.#keep(line);
    return reply;
  }

  #keep(line: string): void {
    const [pair = ''] = line.split(';');
    const split = pair.indexOf('=');
    const name = pair.slice(0, split).trim();
    const value = pair.slice(split + 1).trim();
    // An expired cookie is the server deleting it.
    if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.#cookies.delete(name);
    else this.#cookies.set(name, value);
  }
}
