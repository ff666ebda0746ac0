import { waitFor } from '@koa-fleet/testkit';
import { describe, expect, it } from 'vitest';
import type {
  AdminErrorBody,
  AdminReloadResult,
  BalancerConfig,
  ReloadResult,
} from '@koa-fleet/balancer';
import { admin, backendPath, subscribe } from './support/admin-client.js';
import { useTestServers, type TestBackend } from './support/test-servers.js';
import { postLoad } from './support/post-load.js';

const servers = useTestServers();

const seen = (...backends: TestBackend[]) => backends.map((backend) => backend.seen.length);

describe('balancer.reload()', () => {
  it('applies a new set of backends and weights under keep-alive load without failing a request', async () => {
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((name) => servers.backend(name)));
    const balancer = await servers.balancer({ backends: [a!.url, b!.url] });
    const removed: string[] = [];
    balancer.on('backend-removed', (backend) => removed.push(backend.url));
    const running = postLoad(balancer.url);
    await waitFor('load flowing', () => a!.seen.length + b!.seen.length > 400);
    const result = await balancer.reload({
      backends: [{ url: b!.url, weight: 3 }, c!.url],
      logLevel: 'silent',
      port: 0,
      host: '127.0.0.1',
    });
    expect(result).toEqual<ReloadResult>({
      added: [c!.url],
      removed: [a!.url],
      reweighted: [{ url: b!.url, weight: 3, previous: 1 }],
      reconfigured: [],
    });
    expect(removed).toEqual([a!.url]); // resolved once a was gone
    const [aAt, bAt, cAt] = seen(a!, b!, c!);
    const { failed, result: done } = await running;
    expect(failed).toBe(0);
    expect(done.requests).toBeGreaterThan(500);
    const [aAfter, bAfter, cAfter] = [
      a!.seen.length - aAt!,
      b!.seen.length - bAt!,
      c!.seen.length - cAt!,
    ];
    expect(aAfter).toBe(0);
    expect(bAfter / (bAfter + cAfter)).toBeGreaterThanOrEqual(0.72);
    expect(bAfter / (bAfter + cAfter)).toBeLessThanOrEqual(0.78);
    expect(balancer.backends.map(({ url, weight }) => ({ url, weight }))).toEqual([
      { url: b!.url, weight: 3 },
      { url: c!.url, weight: 1 },
    ]);
  });

  it('refuses an invalid config naming the field, and goes on with the one in use', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const config: BalancerConfig = {
      backends: [a.url],
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
    };
    const balancer = await servers.balancer(config);
    await expect(
      balancer.reload({ ...config, backends: [b.url, { url: a.url, weight: 0 }] }),
    ).rejects.toMatchObject({ code: 'KF_INVALID_OPTION', option: 'backends[1].weight' });
    await expect(balancer.reload({ ...config, port: 9 })).rejects.toMatchObject({
      code: 'KF_BALANCER_RELOAD_RESTART',
      option: 'port',
    });
    expect(balancer.backends.map((backend) => backend.url)).toEqual([a.url]);
    const { failed } = await postLoad(balancer.url, 1);
    expect(failed).toBe(0);
    expect(b.seen).toHaveLength(0);
  });

  it('takes other backend settings in place, and makes the config the truth over admin changes except drains', async () => {
    const [a, b, c, d] = await Promise.all(
      ['a', 'b', 'c', 'd'].map((name) => servers.backend(name)),
    );
    const config: BalancerConfig = {
      backends: [a!.url, b!.url, c!.url],
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
    };
    const balancer = await servers.balancer(config);
    balancer.addBackend(d!.url);
    balancer.setWeight(a!.url, 5);
    balancer.drainBackend(c!.url);
    const result = await balancer.reload({
      ...config,
      backends: [a!.url, { url: b!.url, backup: true, maxFails: 3 }, c!.url],
    });
    expect(result).toEqual<ReloadResult>({
      added: [],
      removed: [d!.url],
      reweighted: [{ url: a!.url, weight: 1, previous: 5 }],
      reconfigured: [b!.url],
    });
    expect(balancer.backends.map(({ url, backup, state }) => ({ url, backup, state }))).toEqual([
      { url: a!.url, backup: false, state: 'up' },
      { url: b!.url, backup: true, state: 'up' },
      { url: c!.url, backup: false, state: 'draining' },
    ]);
    const before = seen(a!, b!, c!, d!);
    const { failed } = await postLoad(balancer.url, 1);
    expect(failed).toBe(0);
    const after = seen(a!, b!, c!, d!).map((count, i) => count - before[i]!);
    // a is the only primary in rotation: the backup b and the drained c get nothing.
    expect(after[0]).toBeGreaterThan(0);
    expect(after.slice(1)).toEqual([0, 0, 0]);
  });
});

/** A balancer over `backends` with its admin listener on, the config it started from, the admin URL. */
async function withAdmin(backends: string[]) {
  const base: BalancerConfig = {
    backends,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    admin: { port: 0 },
  };
  const balancer = await servers.balancer(base);
  return { balancer, base, url: balancer.address!.admin!.url };
}

describe('POST /api/v1/reload', () => {
  it('reads the config source again: 200 with what changed, 400 naming the field, 409 without a source', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const { balancer, base, url } = await withAdmin([a.url]);

    const none = await admin(url, '/api/v1/reload', { method: 'POST' });
    expect(none.status).toBe(409);
    expect(none.json<AdminErrorBody>()).toMatchObject({
      error: 'conflict',
      code: 'KF_BALANCER_RELOAD_UNAVAILABLE',
    });

    let next: BalancerConfig = { ...base, backends: [a.url, { url: b.url, weight: 2 }] };
    balancer.setConfigSource(() => next);
    const reloaded = await admin(url, '/api/v1/reload', { method: 'POST' });
    expect(reloaded.status).toBe(200);
    expect(reloaded.json<AdminReloadResult>()).toEqual({
      added: [b.url],
      removed: [],
      reweighted: [],
      reconfigured: [],
    });
    expect((await admin(url, backendPath(b.url))).json()).toMatchObject({ weight: 2, state: 'up' });

    next = { ...base, backends: [{ url: a.url, maxConns: -1 }] };
    const invalid = await admin(url, '/api/v1/reload', { method: 'POST' });
    expect(invalid.status).toBe(400);
    expect(invalid.json<AdminErrorBody>()).toMatchObject({
      error: 'bad_request',
      code: 'KF_INVALID_OPTION',
      option: 'backends[0].maxConns',
    });
    next = { ...base, strategy: 'least-conn' };
    const restart = await admin(url, '/api/v1/reload', { method: 'POST' });
    expect(restart.status).toBe(409);
    expect(restart.json<AdminErrorBody>()).toMatchObject({
      code: 'KF_BALANCER_RELOAD_RESTART',
      option: 'strategy',
    });
    expect(balancer.backends.map((backend) => backend.url)).toEqual([a.url, b.url]);
    expect((await admin(url, '/api/v1/reload')).status).toBe(405);
  });

  it('tells the event stream config-reloaded with what changed, and a client that reconnects with Last-Event-ID gets the events it missed', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const { balancer, base, url } = await withAdmin([a.url, b.url]);
    balancer.setConfigSource(() => ({ ...base, backends: [a.url, { url: b.url, weight: 3 }] }));

    const first = await subscribe(url);
    await waitFor('the first stats', () => first.events.some((event) => event.event === 'stats'));
    const lastSeen = first.events.at(-1)!.id;
    first.close();
    // While nobody listens: a drain and a reload.
    expect((await admin(url, backendPath(a.url, 'drain'), { method: 'POST' })).status).toBe(200);
    expect((await admin(url, '/api/v1/reload', { method: 'POST' })).status).toBe(200);

    const again = await subscribe(url, undefined, lastSeen);
    await waitFor('the stats after the replay', () =>
      again.events.some((event) => event.event === 'stats'),
    );
    const replayed = again.events.slice(
      0,
      again.events.findIndex((e) => e.event === 'stats'),
    );
    expect(replayed.map((event) => event.event)).toEqual(
      expect.arrayContaining(['backend-state', 'config-reloaded']),
    );
    expect(replayed.every((event) => event.id > lastSeen)).toBe(true);
    expect(replayed.find((event) => event.event === 'config-reloaded')).toMatchObject({
      data: { reweighted: [{ url: b.url, weight: 3, previous: 1 }] },
    });
    again.close();
  });
});
