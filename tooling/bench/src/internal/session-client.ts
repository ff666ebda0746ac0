import { request, type Agent } from 'node:http';

/** The `Cookie` request header that sends back every cookie a response set (name=value only). */
export function cookieHeader(setCookie: readonly string[] | undefined): string {
  const pairs = (setCookie ?? []).map((line) => line.split(';', 1)[0]!.trim()).filter(Boolean);
  if (pairs.length === 0) throw new Error('the response set no cookie');
  return pairs.join('; ');
}

export interface SessionResponse {
  status: number;
  body: string;
  setCookie: string[] | undefined;
}

/** One GET, with `cookie` when given; `agent: false` (a fresh connection) unless one is passed. */
export function get(url: string, cookie?: string, agent?: Agent): Promise<SessionResponse> {
  return new Promise((resolve, reject) => {
    const headers = cookie === undefined ? {} : { cookie };
    const req = request(url, { headers, agent: agent ?? false, timeout: 10_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          body,
          setCookie: response.headers['set-cookie'],
        }),
      );
      response.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer in 10 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** GETs `url` (a route that stores something in a new session) and returns its cookie header. */
export async function startSession(url: string): Promise<string> {
  const response = await get(url);
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${response.body}`);
  return cookieHeader(response.setCookie);
}

/** GETs `url` with the session's cookie and parses the JSON it answers. */
export async function readJson<T>(url: string, cookie: string): Promise<T> {
  const response = await get(url, cookie);
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${response.body}`);
  return JSON.parse(response.body) as T;
}
