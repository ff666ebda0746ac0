import {
  createServer,
  Agent,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import { freePort } from '@koa-fleet/testkit';
import { afterEach } from 'vitest';
import { createBalancer, type Balancer, type BalancerConfig } from '@koa-fleet/balancer';

/** What a test backend saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: string;
}

export type BackendHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  seen: SeenRequest,
  backend: TestBackend,
) => void;

/** A real node:http server on a free port, answering `{ backend, method, url, headers, body }`. */
export interface TestBackend {
  name: string;
  port: number;
  url: string;
  server: Server;
  seen: SeenRequest[];
  /** Connections open to it now (the balancer's pooled ones, tunnels). */
  openSockets(): number;
  /** Stops listening and cuts every connection, as a backend that went away. */
  close(): Promise<void>;
  /** Listens again on the same port (a restarted backend). */
  restart(): Promise<void>;
}

const answerJson: BackendHandler = (_req, res, seen, backend) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ backend: backend.name, ...seen }));
};

/**
 * Cuts the connection of the first request it gets, then answers every other one as a test
 * backend does: one failed try, a blip rather than an outage.
 */
export function failsFirstRequest(): BackendHandler {
  let failed = false;
  return (req, res, seen, backend) => {
    if (failed) return answerJson(req, res, seen, backend);
    failed = true;
    res.socket?.destroy();
  };
}

/**
 * Test servers that are stopped after each test: backends with their own handlers, and
 * balancers on a free loopback port with logs off (pass `logLevel` or a logger to see them).
 */
export function useTestServers() {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  async function backend(name: string, handler: BackendHandler = answerJson): Promise<TestBackend> {
    const port = await freePort();
    const sockets = new Set<Socket>();
    let server: Server;
    const test: TestBackend = {
      name,
      port,
      url: `http://127.0.0.1:${port}`,
      seen: [],
      openSockets: () => sockets.size,
      get server() {
        return server;
      },
      close: () =>
        new Promise<void>((resolve) => {
          if (!server.listening) return resolve();
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy();
        }),
      restart: () => listen(),
    };
    const listen = () =>
      new Promise<void>((resolve, reject) => {
        server = createServer((req, res) => {
          const chunks: Buffer[] = [];
          req.on('data', (chunk: Buffer) => chunks.push(chunk));
          req.on('end', () => {
            const seen: SeenRequest = {
              method: req.method ?? '',
              url: req.url ?? '',
              headers: req.headers,
              rawHeaders: req.rawHeaders,
              body: Buffer.concat(chunks).toString(),
            };
            test.seen.push(seen);
            handler(req, res, seen, test);
          });
        });
        server.on('connection', (socket) => {
          sockets.add(socket);
          socket.once('close', () => sockets.delete(socket));
        });
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
    await listen();
    closers.push(test.close);
    return test;
  }

  async function balancer(config: BalancerConfig): Promise<Balancer & { url: string }> {
    const created = createBalancer({ port: 0, host: '127.0.0.1', logLevel: 'silent', ...config });
    const { url } = await created.listen();
    closers.push(() => created.close());
    return Object.assign(created, { url });
  }

  return { backend, balancer };
}

/** A keep-alive agent for a test's requests, destroyed after the test. */
export function keepAliveAgent(): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  afterEach(() => agent.destroy());
  return agent;
}
