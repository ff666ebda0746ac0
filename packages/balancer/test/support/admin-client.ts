import { get, type IncomingMessage } from 'node:http';
import { httpRequest, type HttpReply } from '@koa-fleet/testkit';
import type { AdminEvent } from '@koa-fleet/balancer';

/** The admin API path of one backend: its URL, URL-encoded. */
export const backendPath = (url: string, action = ''): string =>
  `/api/v1/backends/${encodeURIComponent(url)}${action ? `/${action}` : ''}`;

/** One request to an admin listener, JSON in, with the token when given. */
export function admin(
  base: string,
  path: string,
  options: {
    method?: string;
    body?: unknown;
    token?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<HttpReply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  return httpRequest(`${base}${path}`, {
    method: options.method ?? 'GET',
    headers,
    ...(options.body !== undefined && {
      body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    }),
  });
}

/** A parsed SSE event, as `GET /api/v1/events` sends them. */
export type ReceivedEvent = AdminEvent & { id: number };

/** Subscribes to `/api/v1/events` and keeps every event it gets. */
export async function subscribe(base: string, token?: string, lastEventId?: number) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = get(`${base}/api/v1/events`, { headers }, resolve);
    req.on('error', reject);
  });
  const events: ReceivedEvent[] = [];
  let raw = '';
  let pending = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    raw += chunk;
    pending += chunk;
    let end: number;
    while ((end = pending.indexOf('\n\n')) !== -1) {
      const block = pending.slice(0, end);
      pending = pending.slice(end + 2);
      const fields = Object.fromEntries(
        block
          .split('\n')
          .filter((line) => !line.startsWith(':') && line.includes(': '))
          .map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)]),
      );
      if (fields.event === undefined) continue;
      events.push({
        id: Number(fields.id),
        event: fields.event,
        data: JSON.parse(fields.data!),
      } as ReceivedEvent);
    }
  });
  res.on('error', () => {});
  return {
    status: res.statusCode,
    headers: res.headers,
    events,
    raw: () => raw,
    close: () => res.destroy(),
  };
}
