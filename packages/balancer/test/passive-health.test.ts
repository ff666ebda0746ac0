import { DRAIN_HEADER } from '@koa-fleet/contracts';
import { httpRequest, waitFor } from '@koa-fleet/testkit';
import { describe, expect, it } from 'vitest';
import type { BackendChange } from '@koa-fleet/balancer';
import { failsFirstRequest, keepAliveAgent, useTestServers } from './support/test-servers.js';

const servers = useTestServers();
const agent = keepAliveAgent();

const backendOf = async (url: string) =>
  (await httpRequest(url, { agent })).json<{ backend: string }>().backend;

describe('passive health', () => {
  it('takes a failing backend out for failTimeout, then sends to it again', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const balancer = await servers.balancer({ backends: [a.url, b.url], failTimeout: '300ms' });
    const changes: string[] = [];
    balancer.on('backend-state', ({ backend, state }: BackendChange) =>
      changes.push(`${backend.url === a.url ? 'a' : 'b'} ${state}`),
    );
    await a.close();
    // The failed try goes on to b, so no client sees a's failure.
    for (let i = 0; i < 4; i++) expect(await backendOf(balancer.url)).toBe('b');
    expect(balancer.backends[0]!.state).toBe('down');
    await a.restart();
    await waitFor('a back up', () => balancer.backends[0]!.state === 'up');
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) names.add(await backendOf(balancer.url));
    expect(names).toEqual(new Set(['a', 'b']));
    expect(changes).toEqual(['a down', 'a up']);
  });

  it('needs maxFails failures within failTimeout before it takes a backend out', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const balancer = await servers.balancer({
      backends: [
        { url: a.url, maxFails: 3 },
        { url: b.url, maxFails: 3 },
      ],
      failTimeout: '1m',
    });
    await a.close();
    const states: string[] = [];
    for (let i = 0; i < 6; i++) {
      expect(await backendOf(balancer.url)).toBe('b');
      states.push(balancer.backends[0]!.state);
    }
    // Round robin offers a every other request: it fails on the 1st, 3rd and 5th.
    expect(states).toEqual(['up', 'up', 'up', 'up', 'down', 'down']);
  });

  it('sends requests to the backends when every one is down, and leaves their states alone', async () => {
    const [a, b] = await Promise.all([
      servers.backend('a', failsFirstRequest()),
      servers.backend('b', failsFirstRequest()),
    ]);
    // Long enough that failTimeout brings neither back while the test runs.
    const balancer = await servers.balancer({ backends: [a.url, b.url], failTimeout: '5m' });
    // One GET fails on a, is retried on b and fails there too: both are out.
    expect((await httpRequest(balancer.url)).status).toBe(502);
    expect(balancer.backends.map((backend) => backend.state)).toEqual(['down', 'down']);
    const names: string[] = [];
    for (let i = 0; i < 6; i++) {
      const reply = await httpRequest(balancer.url, { agent });
      expect(reply.status).toBe(200);
      names.push(reply.json<{ backend: string }>().backend);
    }
    console.log(`every backend down: ${names.length} of 6 answered 200 (${names.join(' ')})`);
    // Balanced over both (round robin; the failures lowered their effective weights for a while).
    expect(new Set(names)).toEqual(new Set(['a', 'b']));
    expect(a.seen.length + b.seen.length).toBe(8);
    expect(balancer.backends.map((backend) => backend.state)).toEqual(['down', 'down']);
  });

  it('never takes out a backend with maxFails 0, nor a lone backend', async () => {
    const gone = await servers.backend('gone');
    await gone.close();
    const lone = await servers.balancer({ backends: [gone.url] });
    const other = await servers.backend('other');
    const disabled = await servers.balancer({
      backends: [{ url: gone.url, maxFails: 0 }, other.url],
    });
    for (let i = 0; i < 3; i++) {
      expect((await httpRequest(lone.url)).status).toBe(502);
      expect(await backendOf(disabled.url)).toBe('other');
    }
    expect(lone.backends[0]!.state).toBe('up');
    expect(disabled.backends[0]!.state).toBe('up');
  });

  it(`stops sending to a backend whose answer carries ${DRAIN_HEADER}`, async () => {
    const draining = await servers.backend('draining', (_req, res, _seen, backend) => {
      res.setHeader(DRAIN_HEADER, '1');
      res.setHeader('connection', 'close');
      res.end(JSON.stringify({ backend: backend.name }));
    });
    const steady = await servers.backend('steady');
    const balancer = await servers.balancer({ backends: [draining.url, steady.url] });
    const names: string[] = [];
    for (let i = 0; i < 8; i++) names.push(await backendOf(balancer.url));
    // Its one answer is passed on (it is a good answer); then it gets nothing new.
    expect(names).toEqual(['draining', ...Array(7).fill('steady')]);
    expect(draining.seen).toHaveLength(1);
    expect(balancer.backends[0]!.state).toBe('draining');
  });

  it(`closes its pooled connections to a backend that answered with ${DRAIN_HEADER}`, async () => {
    let draining = false;
    const worker = await servers.backend('worker', (_req, res, _seen, backend) => {
      if (draining) res.setHeader(DRAIN_HEADER, '1'); // no Connection: close: the balancer decides
      res.end(JSON.stringify({ backend: backend.name }));
    });
    const steady = await servers.backend('steady');
    worker.server.keepAliveTimeout = 120_000; // neither side closes an idle one by itself
    const closed: string[] = [];
    worker.server.on('connection', (socket) => socket.once('close', () => closed.push('closed')));
    const balancer = await servers.balancer({
      backends: [worker.url, steady.url],
      keepAlive: { idleTimeout: '2m' },
    });
    for (let i = 0; i < 4; i++) await backendOf(balancer.url);
    expect(closed).toEqual([]); // kept alive while the worker serves normally
    draining = true;
    for (let i = 0; i < 2; i++) await backendOf(balancer.url);
    expect(balancer.backends[0]!.state).toBe('draining');
    // They reach a process on its way out: the balancer closes them before the worker would.
    await waitFor('the pooled connection closed', () => closed.length === 1);
  });
});
