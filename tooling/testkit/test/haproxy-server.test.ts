import { afterAll, expect, it } from 'vitest';
import { describeWithHaproxy, freePort, startHaproxy, stopAll } from '../src/index.js';
import { startCountingServer } from './fixtures.js';

const proxy = (port: number, servers: string): string => `
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s

frontend web
    bind 127.0.0.1:${port}
    default_backend app

backend app
    balance roundrobin
${servers}
`;

describeWithHaproxy('startHaproxy', () => {
  afterAll(stopAll);

  it('runs a whole haproxy.cfg: weighted round robin in exact 2:1', async () => {
    const heavy = await startCountingServer({ NAME: 'heavy' });
    const light = await startCountingServer({ NAME: 'light' });
    const haproxy = await startHaproxy(({ port }) =>
      proxy(
        port,
        `    server heavy 127.0.0.1:${heavy.port} weight 2\n    server light 127.0.0.1:${light.port} weight 1`,
      ),
    );
    const counts: Record<string, number> = {};
    for (let request = 0; request < 300; request++) {
      const body = await (await fetch(haproxy.url)).text();
      counts[body] = (counts[body] ?? 0) + 1;
    }
    expect(counts).toEqual({ heavy: 200, light: 100 });
    await haproxy.stop();
    await expect(fetch(haproxy.url)).rejects.toThrow();
  });

  it('takes its port from the first bind of a string config', async () => {
    const backend = await startCountingServer({ NAME: 'only' });
    const port = await freePort();
    const haproxy = await startHaproxy(proxy(port, `    server only 127.0.0.1:${backend.port}`));
    expect(haproxy.port).toBe(port);
    expect(await (await fetch(haproxy.url)).text()).toBe('only');
  });

  it('includes haproxy’s own message when the config is invalid', async () => {
    await expect(
      startHaproxy(({ port }) => `${proxy(port, '')}    no_such_keyword on\n`),
    ).rejects.toThrow(/haproxy rejected the config:[\s\S]*no_such_keyword/);
  });
});
