import { DRAIN_HEADER } from '@koa-fleet/contracts';
import {
  describeWithHaproxy,
  freePort,
  httpRequest,
  startHaproxy,
  waitFor,
} from '@koa-fleet/testkit';
import { exportHaproxyConfig } from '@koa-fleet/balancer';
import { expect, it } from 'vitest';
import { exportedEngineSuite } from './support/exported-engine-suite.js';
import { useTestServers } from './support/test-servers.js';

describeWithHaproxy('koa-fleet-balancer export haproxy, run by HAProxy', () => {
  exportedEngineSuite('haproxy');

  const servers = useTestServers();

  it('runs the active checks: a backend whose /readyz fails or says it drains is out, and back once ready', async () => {
    const ready = { status: 200, draining: false };
    const a = await servers.backend('a', (req, res, _seen, self) => {
      if (req.url === '/readyz') {
        if (ready.draining) res.setHeader(DRAIN_HEADER, '1');
        res.statusCode = ready.status;
        res.end();
        return;
      }
      res.end(JSON.stringify({ backend: self.name }));
    });
    const b = await servers.backend('b');
    const text = exportHaproxyConfig(
      {
        backends: [a.url, b.url],
        host: '127.0.0.1',
        port: await freePort(),
        healthCheck: { interval: '50ms', rise: 1, fall: 1 },
      },
      { full: true },
    );
    const haproxy = await startHaproxy(text);
    const answers = async (count: number) => {
      const names = new Set<string>();
      for (let i = 0; i < count; i++) {
        names.add((await httpRequest(haproxy.url)).json<{ backend: string }>().backend);
      }
      return names;
    };
    expect(await answers(4)).toEqual(new Set(['a', 'b']));
    for (const outage of [
      { status: 503, draining: false },
      { status: 200, draining: true },
    ]) {
      Object.assign(ready, outage);
      await waitFor(`a out while /readyz answers ${JSON.stringify(outage)}`, async () => {
        const names = await answers(4);
        return names.size === 1 && names.has('b');
      });
      Object.assign(ready, { status: 200, draining: false });
      await waitFor('a back once /readyz answers 200', async () => (await answers(4)).has('a'));
    }
    await haproxy.stop();
  });
});
