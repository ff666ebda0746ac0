import { request, type Agent, type IncomingHttpHeaders } from 'node:http';
import { assertLoopback } from './internal/loopback.js';

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The `Set-Cookie` lines, [] when none. */
  setCookies: string[];
  json<T = Record<string, unknown>>(): T;
}

export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Default `false`: a fresh connection, so a cluster can hand the request to any worker. */
  agent?: Agent | false;
  /** Fails the request when no answer comes in time; default 30 s. */
  timeout?: number;
}

/**
 * One HTTP request to a loopback server, its whole body collected. On a fresh connection by
 * default, which is what tests of a multi-process server want: each request may land anywhere.
 */
export async function httpRequest(
  url: string,
  options: HttpRequestOptions = {},
): Promise<HttpReply> {
  assertLoopback(url);
  const { method = 'GET', headers = {}, body, agent = false, timeout = 30_000 } = options;
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent, timeout }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: text,
          setCookies: res.headers['set-cookie'] ?? [],
          json: <T>() => JSON.parse(text) as T,
        }),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer in ${timeout} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
