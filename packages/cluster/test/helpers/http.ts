import { httpRequest, type HttpReply } from '@koa-fleet/testkit';

export type Reply = HttpReply;

/** One request on a fresh connection to 127.0.0.1. */
export function get(port: number, path = '/', method = 'GET'): Promise<Reply> {
  return httpRequest(`http://127.0.0.1:${port}${path}`, { method });
}

/** Retries until the port answers (after a restart); event-driven through the retry, no fixed sleep. */
export async function getEventually(port: number, path = '/', attempts = 200): Promise<Reply> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await get(port, path);
    } catch (error) {
      last = error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw last;
}
