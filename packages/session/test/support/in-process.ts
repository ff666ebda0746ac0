import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { SessionStore } from '../../dist/index.js';
import { buildApp } from '../fixtures/app.mjs';
import type { AppConfig, Servers } from './store-suite.js';

/**
 * `count` Koa servers in this process, each with the store `makeStore` gives it (one shared
 * instance, or one per server with its own Redis connection).
 */
export async function inProcessServers(
  count: number,
  config: AppConfig,
  makeStore: (storeOptions: Record<string, unknown>) => SessionStore | Promise<SessionStore>,
): Promise<Servers> {
  const servers: Server[] = [];
  for (let i = 0; i < count; i++) {
    const app = buildApp(await makeStore(config.store ?? {}), config.session ?? {});
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    servers.push(server);
  }
  return {
    urls: servers.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    stop: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
