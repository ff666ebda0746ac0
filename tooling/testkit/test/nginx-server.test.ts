import { afterAll, expect, it } from 'vitest';
import { describeWithNginx, startNginx, stopAll } from '../src/index.js';
import { startCountingServer } from './fixtures.js';

describeWithNginx('startNginx', () => {
  afterAll(stopAll);

  it('proxies to weighted upstreams in exact 2:1 round robin', async () => {
    const heavy = await startCountingServer({ NAME: 'heavy' });
    const light = await startCountingServer({ NAME: 'light' });
    const nginx = await startNginx(
      ({ port }) => `
        upstream app {
          server 127.0.0.1:${heavy.port} weight=2;
          server 127.0.0.1:${light.port} weight=1;
        }
        server {
          listen 127.0.0.1:${port};
          location / { proxy_pass http://app; }
        }`,
    );
    const counts: Record<string, number> = {};
    for (let request = 0; request < 300; request++) {
      const body = await (await fetch(nginx.url)).text();
      counts[body] = (counts[body] ?? 0) + 1;
    }
    expect(counts).toEqual({ heavy: 200, light: 100 });
  });

  it('reloads a new config and serves it', async () => {
    const first = await startCountingServer({ NAME: 'first' });
    const second = await startCountingServer({ NAME: 'second' });
    const serverBlock = (port: number, upstream: number): string =>
      `server { listen 127.0.0.1:${port}; location / { proxy_pass http://127.0.0.1:${upstream}; } }`;
    const nginx = await startNginx(({ port }) => serverBlock(port, first.port));
    expect(await (await fetch(nginx.url)).text()).toBe('first');
    await nginx.reload(serverBlock(nginx.port, second.port));
    // Old workers may finish a kept-alive request; a fresh connection reaches the new config.
    await expect
      .poll(async () => (await fetch(nginx.url, { headers: { connection: 'close' } })).text(), {
        timeout: 30_000,
      })
      .toBe('second');
  });

  it('runs a whole nginx.conf as it is, with its own main context', async () => {
    const backend = await startCountingServer({ NAME: 'whole' });
    const nginx = await startNginx(
      ({ port }) => `
        worker_processes 2;
        events {}
        http {
          access_log off;
          server {
            listen 127.0.0.1:${port};
            location / { proxy_pass http://127.0.0.1:${backend.port}; }
          }
        }`,
      { wholeFile: true },
    );
    expect(await (await fetch(nginx.url)).text()).toBe('whole');
    // Two workers: the file's own worker_processes, logged to the test's error.log.
    expect(nginx.errorLog().match(/start worker process \d+/g)).toHaveLength(2);
  });

  it('includes nginx’s own message when the config is invalid', async () => {
    await expect(
      startNginx('server { listen 127.0.0.1:1; no_such_directive on; }'),
    ).rejects.toThrow(/unknown directive "no_such_directive"/);
  });
});
