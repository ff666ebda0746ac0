import { DRAIN_HEADER } from '@koa-fleet/contracts';
import { httpRequest, waitFor } from '@koa-fleet/testkit';
import { describe, expect, it } from 'vitest';
import type { Balancer, BackendChange } from '@koa-fleet/balancer';
import { keepAliveAgent, useTestServers, type TestBackend } from './support/test-servers.js';

const servers = useTestServers();
const agent = keepAliveAgent();

/** Fast checks, so the tests wait little; failTimeout 1 h: only a check can bring a backend back. */
const FAST_CHECKS = { interval: '30ms', timeout: '1s', rise: 2, fall: 2 };

/** A backend whose `/readyz` answers `ready.status` (200 at first), and JSON to anything else. */
async function readyBackend(name: string) {
  const ready = { status: 200, drainHeader: false, checks: 0 };
  const backend = await servers.backend(name, (req, res, _seen, self) => {
    if (req.url === '/readyz') {
      ready.checks++;
      if (ready.drainHeader) res.setHeader(DRAIN_HEADER, '1');
      res.statusCode = ready.status;
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ backend: self.name }));
  });
  return { backend, ready };
}

const backendOf = async (url: string) =>
  (await httpRequest(url, { agent })).json<{ backend: string }>().backend;

function stateChanges(balancer: Balancer, names: Record<string, string>): string[] {
  const changes: string[] = [];
  balancer.on('backend-state', ({ backend, state }: BackendChange) =>
    changes.push(`${names[backend.url]} ${state}`),
  );
  return changes;
}

const stateOf = (balancer: Balancer, backend: TestBackend) =>
  balancer.backends.find((candidate) => candidate.url === backend.url)!.state;

describe('active health checks', () => {
  it('take a backend out after fall failed checks and bring it back after rise good ones', async () => {
    const [a, b] = await Promise.all([readyBackend('a'), readyBackend('b')]);
    const balancer = await servers.balancer({
      backends: [a.backend.url, b.backend.url],
      healthCheck: FAST_CHECKS,
      failTimeout: '1h',
    });
    const changes = stateChanges(balancer, { [a.backend.url]: 'a', [b.backend.url]: 'b' });
    await waitFor('checks of a', () => a.ready.checks >= 2);
    expect(stateOf(balancer, a.backend)).toBe('up');

    a.ready.status = 503; // a is not ready, yet answers its requests
    await waitFor('a out', () => stateOf(balancer, a.backend) === 'down');
    for (let i = 0; i < 4; i++) expect(await backendOf(balancer.url)).toBe('b');

    a.ready.status = 200;
    await waitFor('a back', () => stateOf(balancer, a.backend) === 'up');
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) names.add(await backendOf(balancer.url));
    expect(names).toEqual(new Set(['a', 'b']));
    expect(changes).toEqual(['a down', 'a up']);
  });

  it('bring back a backend passive health took out once its /readyz is green, long before failTimeout', async () => {
    const [a, b] = await Promise.all([readyBackend('a'), readyBackend('b')]);
    const balancer = await servers.balancer({
      backends: [a.backend.url, b.backend.url],
      healthCheck: FAST_CHECKS,
      failTimeout: '1h',
    });
    await a.backend.close();
    // The refused try goes on to b and takes a out.
    for (let i = 0; i < 2; i++) expect(await backendOf(balancer.url)).toBe('b');
    expect(stateOf(balancer, a.backend)).toBe('down');
    await a.backend.restart();
    await waitFor('a back', () => stateOf(balancer, a.backend) === 'up');
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) names.add(await backendOf(balancer.url));
    expect(names).toEqual(new Set(['a', 'b']));
  });

  it(`take a backend out at its first answer with ${DRAIN_HEADER} and back once its /readyz is green`, async () => {
    let draining = false;
    const worker = await servers.backend('worker', (req, res, _seen, self) => {
      if (draining) res.setHeader(DRAIN_HEADER, '1');
      if (req.url === '/readyz') {
        res.statusCode = draining ? 503 : 200;
        return res.end();
      }
      res.end(JSON.stringify({ backend: self.name }));
    });
    const steady = await readyBackend('steady');
    const balancer = await servers.balancer({
      backends: [worker.url, steady.backend.url],
      // fall 1000: here only the drain header takes it out.
      healthCheck: { ...FAST_CHECKS, fall: 1_000 },
      failTimeout: '1h',
    });
    const changes = stateChanges(balancer, {
      [worker.url]: 'worker',
      [steady.backend.url]: 'steady',
    });
    expect([await backendOf(balancer.url), await backendOf(balancer.url)]).toEqual([
      'worker',
      'steady',
    ]);
    draining = true;
    const names: string[] = [];
    for (let i = 0; i < 8; i++) names.push(await backendOf(balancer.url));
    // Its answer with the header is passed on; then it gets nothing new while it drains.
    expect(names).toEqual(['worker', ...Array<string>(7).fill('steady')]);
    expect(stateOf(balancer, worker)).toBe('draining');

    draining = false; // ready again (a fleet's replacement worker)
    await waitFor('worker back', () => stateOf(balancer, worker) === 'up');
    const after = new Set<string>();
    for (let i = 0; i < 4; i++) after.add(await backendOf(balancer.url));
    expect(after).toEqual(new Set(['worker', 'steady']));
    expect(changes).toEqual(['worker draining', 'worker up']);
  });

  it('keep sending requests to every backend when all are unready yet answer their checks, and not to one that refuses', async () => {
    const [a, b, c] = await Promise.all([readyBackend('a'), readyBackend('b'), readyBackend('c')]);
    const balancer = await servers.balancer({
      backends: [a.backend.url, b.backend.url, c.backend.url],
      healthCheck: FAST_CHECKS,
      failTimeout: '1h',
    });
    // A dependency they share is down: every /readyz says 503, every other route still works.
    for (const { ready } of [a, b, c]) ready.status = 503;
    await waitFor('all out', () => balancer.backends.every((backend) => backend.state === 'down'));
    const served = new Map<string, number>();
    let refused = 0;
    for (let i = 0; i < 12; i++) {
      const reply = await httpRequest(balancer.url, { agent });
      if (reply.status !== 200) refused++;
      else {
        const name = reply.json<{ backend: string }>().backend;
        served.set(name, (served.get(name) ?? 0) + 1);
      }
    }
    expect(refused).toBe(0);
    expect([...served.keys()].sort()).toEqual(['a', 'b', 'c']);

    // One of them is gone for real: its checks get no answer, and it gets no request.
    await c.backend.close();
    const checkedRefused = () =>
      balancer
        .stats()
        .some(({ url, lastCheck }) => url === c.backend.url && lastCheck?.status === undefined);
    await waitFor('a check of c refused', checkedRefused);
    const after = new Set<string>();
    for (let i = 0; i < 8; i++) after.add(await backendOf(balancer.url));
    expect([...after].sort()).toEqual(['a', 'b']);

    // Ready again: back in rotation the usual way, and the only one then.
    a.ready.status = 200;
    await waitFor('a up', () => stateOf(balancer, a.backend) === 'up');
    for (let i = 0; i < 4; i++) expect(await backendOf(balancer.url)).toBe('a');
  });

  it('answer 503 when every backend is out and answers its checks with the drain header', async () => {
    const [a, b] = await Promise.all([readyBackend('a'), readyBackend('b')]);
    const balancer = await servers.balancer({
      backends: [a.backend.url, b.backend.url],
      healthCheck: FAST_CHECKS,
      failTimeout: '1h',
    });
    for (const { ready } of [a, b]) {
      ready.status = 503;
      ready.drainHeader = true; // on their way out, not merely unready
    }
    await waitFor('all out', () => balancer.backends.every((backend) => backend.state === 'down'));
    expect((await httpRequest(balancer.url, { agent })).status).toBe(503);
  });

  it('check each backend on a connection of its own, closed after each check', async () => {
    const { backend, ready } = await readyBackend('a');
    const connections: number[] = [];
    backend.server.on('connection', () => connections.push(ready.checks));
    const balancer = await servers.balancer({ backends: [backend.url], healthCheck: FAST_CHECKS });
    await waitFor('5 checks', () => ready.checks >= 5);
    await balancer.close();
    // One new connection per check: a check never rides on a pooled keep-alive socket.
    expect(connections.length).toBeGreaterThanOrEqual(ready.checks);
    expect(backend.seen.every((request) => request.headers.connection === 'close')).toBe(true);
  });
});
