import { describeWithNginx, startNginx } from '@koa-fleet/testkit';
import type { NginxServer } from '@koa-fleet/testkit';
import { afterEach, expect, it } from 'vitest';
import { writeVersionedEntry } from './helpers/entry-files.js';
import { startPrimary } from './helpers/fleet.js';
import { get } from './helpers/http.js';
import { startMixedLoad } from './helpers/mixed-load.js';
import type { NodeProcess } from './helpers/node-process.js';
import { freePortRange } from './helpers/ports.js';

const running: NodeProcess[] = [];
const proxies: NginxServer[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((n) => n.stop()));
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

describeWithNginx("behind nginx (the tutorial's weighted upstream)", () => {
  it('reloads per-worker-port slots under load through nginx with 0 failed requests', async () => {
    const port = await freePortRange(2);
    const entry = writeVersionedEntry('v1');
    const primary = startPrimary({
      entry,
      workers: 2,
      port,
      perWorkerPorts: true,
      drainWindow: '3s',
    });
    running.push(primary);
    await primary.waitForTest('ready');
    // The README's upstream: weights, upstream keep-alive shorter than the drain window.
    const nginx = await startNginx(
      ({ port: listen }) => `
          upstream koa_fleet {
            server 127.0.0.1:${port} weight=2;
            server 127.0.0.1:${port + 1} weight=1;
            keepalive 32;
            keepalive_timeout 2s;
          }
          server {
            listen 127.0.0.1:${listen};
            # nginx closes a client connection after 1000 requests by default and autocannon may
            # be writing on it then — a client-side error unrelated to the fleet (upstream
            # failures would show as 502s), so that recycling is turned off here.
            keepalive_requests 1000000;
            location / {
              proxy_pass http://koa_fleet;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_next_upstream error timeout;
            }
          }`,
    );
    proxies.push(nginx);
    expect((await get(nginx.port)).json().version).toBe('v1');
    writeVersionedEntry('v2', entry);

    const mixed = startMixedLoad(nginx.url);
    const load = mixed.result;
    // Reload once the load flows: wait for a request to come back through nginx.
    await get(nginx.port);
    const from = primary.lines.length;
    primary.send('reload');
    const reload = await primary.waitForTest('reload', { from, timeout: 120_000 });
    const reloadFinishedUnderLoad = !mixed.done();
    const result = await load;
    console.info('reload behind nginx:', JSON.stringify(result));
    const upstreamErrors = nginx
      .errorLog()
      .split('\n')
      .filter((l) => /\[(error|warn|crit)\]/.test(l) && l.includes('upstream'));
    console.info(upstreamErrors.join('\n'));

    expect(reload).toMatchObject({ ok: true });
    expect(reloadFinishedUnderLoad).toBe(true);
    expect({ errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx }).toEqual({
      errors: 0,
      timeouts: 0,
      non2xx: 0,
    });
    expect((await get(nginx.port)).json().version).toBe('v2');
    expect(upstreamErrors).toEqual([]);
  }, 180_000);
});
