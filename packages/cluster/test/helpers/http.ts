import { request } from 'node:http';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/** One request on a fresh connection to 127.0.0.1. */
export function get(port: number, path = '/', method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          json: () => JSON.parse(body),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
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
