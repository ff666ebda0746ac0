import { startNginx } from '@koa-fleet/testkit';
import { ServerStartError } from '../errors.js';
import { backendUrls } from './backend-urls.js';
import { waitForWorkers } from '../internal/wait-for-workers.js';
import type { Contender, ContenderLabel, RunningServer, StartContext } from '../scenario.js';

/**
 * nginx (the test kit's `startNginx`: 1 worker, files in a temp dir) with the scenario's
 * backends as an `upstream`; ready once every backend answered `GET /pid` through it.
 */
export function nginxProxy({ name, description }: ContenderLabel): Contender {
  return {
    name,
    description,
    async start(context: StartContext): Promise<RunningServer> {
      const backends = backendUrls(name, context);
      const nginx = await startNginx(nginxProxyConfig(context.port, backends)).catch(
        (error: unknown) => {
          throw ServerStartError.of(name, error);
        },
      );
      try {
        await waitForWorkers(nginx.url, backends.length);
      } catch (error) {
        await nginx.stop();
        throw ServerStartError.of(name, error);
      }
      return { url: nginx.url, stop: () => nginx.stop() };
    },
  };
}

/**
 * The `http {}` body: round robin over `backends` with a pool of kept-alive upstream connections
 * and the forwarded headers a balancer sets, as the koa-fleet balancer is configured.
 */
export function nginxProxyConfig(port: number, backends: readonly string[]): string {
  const servers = backends.map((url) => `    server ${new URL(url).host};`);
  // nginx closes a keep-alive connection after 1000 requests by default; the Node contenders
  // never do, so neither does nginx here. The upstream idle timeout stays below Node's 5 s
  // keepAliveTimeout, so nginx never reuses a connection the backend is closing.
  return `  upstream backends {
${servers.join('\n')}
    keepalive 64;
    keepalive_timeout 4s;
    keepalive_requests 1000000;
  }

  server {
    listen 127.0.0.1:${port};
    keepalive_requests 1000000;

    location / {
      proxy_pass http://backends;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
    }
  }
`;
}
