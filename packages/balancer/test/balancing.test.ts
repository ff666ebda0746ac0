import { httpRequest, waitFor } from '@koa-fleet/testkit';
import { describe, expect, it } from 'vitest';
import { keepAliveAgent, useTestServers } from './support/test-servers.js';

const servers = useTestServers();
const agent = keepAliveAgent();

async function backendOf(url: string, headers: Record<string, string> = {}): Promise<string> {
  const reply = await httpRequest(url, { agent, headers });
  expect(reply.status).toBe(200);
  return reply.json<{ backend: string }>().backend;
}

describe('balancing over real backends', () => {
  it('sends weights {5, 1, 1} in nginx smooth weighted round robin order: a a b a c a a', async () => {
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((name) => servers.backend(name)));
    const balancer = await servers.balancer({
      backends: [{ url: a!.url, weight: 5 }, b!.url, c!.url],
    });
    const order: string[] = [];
    for (let i = 0; i < 14; i++) order.push(await backendOf(balancer.url));
    expect(order.join(' ')).toBe('a a b a c a a a a b a c a a');
  });

  it('gives a 3:1 pair 75 % ± 2 % of 4,000 requests', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const balancer = await servers.balancer({
      backends: [
        { url: a.url, weight: 3 },
        { url: b.url, weight: 1 },
      ],
    });
    const counts = { a: 0, b: 0 } as Record<string, number>;
    const batch = 20; // a few requests in flight at once, as a real load has
    for (let sent = 0; sent < 4_000; sent += batch) {
      const names = await Promise.all(Array.from({ length: batch }, () => backendOf(balancer.url)));
      for (const name of names) counts[name]!++;
    }
    expect(counts.a! / 4_000).toBeGreaterThanOrEqual(0.73);
    expect(counts.a! / 4_000).toBeLessThanOrEqual(0.77);
  });

  it('least-conn sends new requests to the idle backend while the other is busy', async () => {
    const release: (() => void)[] = [];
    const slowOrFast = (name: string) =>
      servers.backend(name, (req, res, _seen, backend) => {
        const answer = () => res.end(JSON.stringify({ backend: backend.name }));
        if (req.url === '/slow') release.push(answer);
        else answer();
      });
    const [a, b] = await Promise.all([slowOrFast('a'), slowOrFast('b')]);
    const balancer = await servers.balancer({ backends: [a.url, b.url], strategy: 'least-conn' });
    // Two slow requests: one on each backend, then a third slow one lands on a.
    const slow = [1, 2, 3].map(() => httpRequest(`${balancer.url}/slow`));
    await waitFor('3 requests seen', () => a.seen.length + b.seen.length === 3);
    const busy = a.seen.length > b.seen.length ? 'a' : 'b';
    const idle = busy === 'a' ? 'b' : 'a';
    for (let i = 0; i < 6; i++) expect(await backendOf(`${balancer.url}/fast`)).toBe(idle);
    release.forEach((answer) => answer());
    await Promise.all(slow);
  });

  it('hash keeps a client on one backend, by address, cookie or header', async () => {
    const all = await Promise.all(['a', 'b', 'c', 'd'].map((name) => servers.backend(name)));
    const balancer = await servers.balancer({
      backends: all.map((backend) => backend.url),
      strategy: { name: 'hash', key: 'cookie:sid' },
    });
    const byUser = new Map<string, Set<string>>();
    for (let round = 0; round < 3; round++) {
      for (let user = 0; user < 40; user++) {
        const name = await backendOf(balancer.url, { cookie: `theme=dark; sid=user-${user}` });
        byUser.set(`user-${user}`, (byUser.get(`user-${user}`) ?? new Set()).add(name));
      }
    }
    expect([...byUser.values()].every((names) => names.size === 1)).toBe(true);
    // Different users spread over the backends.
    expect(new Set([...byUser.values()].map((names) => [...names][0])).size).toBeGreaterThan(1);
  });

  it('uses backup backends only while every primary is down', async () => {
    const [primary, spare] = await Promise.all([
      servers.backend('primary'),
      servers.backend('spare'),
    ]);
    const balancer = await servers.balancer({
      backends: [primary.url, { url: spare.url, backup: true }],
    });
    for (let i = 0; i < 5; i++) expect(await backendOf(balancer.url)).toBe('primary');
    await primary.close();
    for (let i = 0; i < 5; i++) expect(await backendOf(balancer.url)).toBe('spare');
    expect(balancer.backends.map((backend) => backend.state)).toEqual(['down', 'up']);
  });

  it('never has more than maxConns requests in flight on a backend', async () => {
    const release: (() => void)[] = [];
    const held = (name: string) =>
      servers.backend(name, (_req, res, _seen, backend) => {
        release.push(() => res.end(JSON.stringify({ backend: backend.name })));
      });
    const [a, b] = await Promise.all([held('a'), held('b')]);
    const balancer = await servers.balancer({
      backends: [
        { url: a.url, weight: 10, maxConns: 2 },
        { url: b.url, weight: 1 },
      ],
    });
    const replies = Array.from({ length: 6 }, () => httpRequest(balancer.url));
    await waitFor('6 requests seen', () => a.seen.length + b.seen.length === 6);
    expect(a.seen.length).toBe(2);
    expect(b.seen.length).toBe(4);
    release.forEach((answer) => answer());
    expect((await Promise.all(replies)).map((reply) => reply.status)).toEqual([
      200, 200, 200, 200, 200, 200,
    ]);
  });
});
