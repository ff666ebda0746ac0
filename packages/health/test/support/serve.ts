import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Listens on a free loopback port; the test talks to it over real HTTP. */
export async function serve(app: Koa): Promise<Served> {
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** GET as JSON (any status), for probe bodies. */
export async function getJson(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: JSON.parse(text) as Record<string, unknown> & {
      status: string;
      output?: string;
      checks?: Record<string, Array<Record<string, unknown>>>;
    },
  };
}
