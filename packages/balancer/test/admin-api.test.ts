import { httpRequest, waitFor } from '@koa-fleet/testkit';
import { describe, expect, it } from 'vitest';
import {
  createBalancer,
  type AdminBackend,
  type AdminBackendList,
  type AdminErrorBody,
  type BalancerConfig,
} from '@koa-fleet/balancer';
import { admin, backendPath, subscribe } from './support/admin-client.js';
import { parsePrometheusText, total } from './support/prometheus-text.js';
import { keepAliveAgent, useTestServers, type TestBackend } from './support/test-servers.js';
import { postLoad } from './support/post-load.js';

const servers = useTestServers();
const agent = keepAliveAgent();
const TOKEN = 'test-admin-token-0123456789';

/** A balancer with its admin listener on a free loopback port, and the admin's base URL. */
async function withAdmin(config: BalancerConfig, token?: string) {
  const balancer = await servers.balancer({ ...config, admin: { port: 0, token } });
  return { balancer, base: balancer.address!.admin!.url };
}

/** Requests each backend has seen so far. */
const seen = (...backends: TestBackend[]) => backends.map((backend) => backend.seen.length);

describe('the admin listener', () => {
  it('answers 401 and nothing more without the token or with a wrong one, and the API with it', async () => {
    const backend = await servers.backend('a');
    const { base } = await withAdmin({ backends: [backend.url] }, TOKEN);
    const missing = await admin(base, '/api/v1/backends');
    const wrong = await admin(base, '/api/v1/backends', { token: `${TOKEN}x` });
    const metrics = await admin(base, '/metrics', { token: 'another-token-of-some-length' });
    for (const reply of [missing, wrong, metrics]) {
      expect(reply.status).toBe(401);
      expect(reply.json<AdminErrorBody>()).toEqual({
        error: 'unauthorized',
        message: 'unauthorized',
      });
      expect(reply.headers['www-authenticate']).toBe('Bearer');
    }
    const events = await subscribe(base, 'wrong-token-of-enough-length');
    expect(events.status).toBe(401);
    events.close();

    const ok = await admin(base, '/api/v1/backends', { token: TOKEN });
    expect(ok.status).toBe(200);
    expect(ok.json<AdminBackendList>().backends).toMatchObject([
      { url: backend.url, id: encodeURIComponent(backend.url), state: 'up', weight: 1 },
    ]);
  });

  it('refuses to start on an address other than loopback without a token, naming admin.token', () => {
    expect(() =>
      createBalancer({ backends: ['http://127.0.0.1:3001'], admin: { port: 0, host: '0.0.0.0' } }),
    ).toThrowError(expect.objectContaining({ code: 'KF_INVALID_OPTION', option: 'admin.token' }));
  });

  it('adds a backend under keep-alive load: no request fails, and it takes its share from then on', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const { balancer, base } = await withAdmin({ backends: [a.url] });
    const running = postLoad(balancer.url);
    await waitFor('load flowing', () => a.seen.length > 200);
    const added = await admin(base, '/api/v1/backends', {
      method: 'POST',
      body: { url: b.url, weight: 3 },
    });
    expect(added.status).toBe(201);
    expect(added.headers.location).toBe(backendPath(b.url));
    expect(added.json<AdminBackend>()).toMatchObject({
      url: b.url,
      weight: 3,
      state: 'up',
      requests: 0,
    });
    const [aBefore] = seen(a);
    const { failed, result } = await running;
    expect(failed).toBe(0);
    expect(result.requests).toBeGreaterThan(500);
    const [aAfter, bAfter] = [a.seen.length - aBefore!, b.seen.length];
    expect(bAfter / (aAfter + bAfter)).toBeGreaterThanOrEqual(0.72);
    expect(bAfter / (aAfter + bAfter)).toBeLessThanOrEqual(0.78);
    expect(balancer.backends.map((backend) => backend.url)).toEqual([a.url, b.url]);
  });

  it('re-weights 1:1 to 3:1 under keep-alive load: no request fails, and the split after is 75 % ± 3 %', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const { balancer, base } = await withAdmin({ backends: [a.url, b.url] });
    const running = postLoad(balancer.url);
    await waitFor('load flowing', () => a.seen.length + b.seen.length > 400);
    const even = seen(a, b);
    expect(Math.abs(even[0]! - even[1]!)).toBeLessThanOrEqual(10); // 1:1 before
    const reply = await admin(base, backendPath(a.url, 'weight'), {
      method: 'PUT',
      body: { weight: 3 },
    });
    expect(reply.status).toBe(200);
    expect(reply.json<AdminBackend>()).toMatchObject({ url: a.url, weight: 3 });
    const [aAt, bAt] = seen(a, b);
    const { failed } = await running;
    expect(failed).toBe(0);
    const [aAfter, bAfter] = [a.seen.length - aAt!, b.seen.length - bAt!];
    expect(aAfter + bAfter).toBeGreaterThan(500);
    const share = aAfter / (aAfter + bAfter);
    expect(share).toBeGreaterThanOrEqual(0.72);
    expect(share).toBeLessThanOrEqual(0.78);
  });

  it('removes a backend under keep-alive load: drained first, answered once gone, no request failed', async () => {
    // b answers after 100 ms, so requests are in flight on it when it is removed.
    const after = (name: string, ms: number) =>
      servers.backend(name, (_req, res, _seen, backend) => {
        setTimeout(() => res.end(JSON.stringify({ backend: backend.name })), ms);
      });
    const [a, b] = await Promise.all([after('a', 1), after('b', 100)]);
    const { balancer, base } = await withAdmin({ backends: [a.url, b.url] });
    const events: string[] = [];
    balancer.on('backend-state', ({ backend, state }) => events.push(`${backend.url} ${state}`));
    balancer.on('backend-removed', (backend) => events.push(`${backend.url} removed`));
    const running = postLoad(balancer.url);
    await waitFor('load flowing on both', () => a.seen.length > 50 && b.seen.length > 5);
    await waitFor('requests in flight on b', () => balancer.backends[1]!.active >= 2);
    const removed = await admin(base, backendPath(b.url), { method: 'DELETE' });
    expect(removed.status).toBe(200);
    // Answered once every request it had was answered.
    expect(removed.json<AdminBackend>()).toMatchObject({
      url: b.url,
      state: 'draining',
      active: 0,
      responses: { '2xx': b.seen.length },
      errors: { connect: 0, timeout: 0, reset: 0, invalid: 0, status: 0, other: 0 },
    });
    // Gone when answered: out of the set, its pooled connections closed.
    expect(balancer.backends.map((backend) => backend.url)).toEqual([a.url]);
    expect(events).toEqual([`${b.url} draining`, `${b.url} removed`]);
    await waitFor('its connections closed', () => b.openSockets() === 0);
    const [bGone] = seen(b);
    const { failed } = await running;
    expect(failed).toBe(0);
    expect(b.seen.length).toBe(bGone); // nothing after
    expect((await admin(base, backendPath(b.url))).status).toBe(404);
  });

  it('drains and undrains under keep-alive load: no request fails, and a drained backend gets none', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const { balancer, base } = await withAdmin({ backends: [a.url, b.url] });
    const running = postLoad(balancer.url, 4);
    await waitFor('load flowing', () => b.seen.length > 200);
    const drained = await admin(base, backendPath(b.url, 'drain'), { method: 'POST' });
    expect(drained.json<AdminBackend>()).toMatchObject({ state: 'draining', drained: true });
    await waitFor('its requests in flight done', () => balancer.backends[1]!.active === 0);
    const [aAt, bAt] = seen(a, b);
    await waitFor('more load on a', () => a.seen.length > aAt! + 500);
    expect(b.seen.length).toBe(bAt);
    const undrained = await admin(base, backendPath(b.url, 'undrain'), { method: 'POST' });
    expect(undrained.json<AdminBackend>()).toMatchObject({ state: 'up', drained: false });
    await waitFor('b back in rotation', () => b.seen.length > bAt! + 100);
    const { failed } = await running;
    expect(failed).toBe(0);
  });

  it('streams a drain through the API as backend-state at once, and the stats every second', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const { base } = await withAdmin({ backends: [a.url, b.url] }, TOKEN);
    const stream = await subscribe(base, TOKEN);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await waitFor('the first stats', () => stream.events.some((event) => event.event === 'stats'));
    await admin(base, backendPath(b.url, 'drain'), { method: 'POST', token: TOKEN });
    await waitFor('the state change', () =>
      stream.events.some((event) => event.event === 'backend-state'),
    );
    await waitFor(
      'stats after it',
      () => stream.events.filter((e) => e.event === 'stats').length >= 3,
    );
    stream.close();
    const change = stream.events.find((event) => event.event === 'backend-state')!;
    expect(change.data).toMatchObject({ backend: b.url, state: 'draining', previous: 'up' });
    const lastStats = stream.events.filter((event) => event.event === 'stats').at(-1)!;
    expect(lastStats.event === 'stats' && lastStats.data.backends).toMatchObject([
      { url: a.url, state: 'up' },
      { url: b.url, state: 'draining', drained: true },
    ]);
    // Ids rise by one, and the stream says how long to wait before reconnecting.
    const ids = stream.events.map((event) => event.id);
    expect(ids).toEqual(ids.map((_, index) => ids[0]! + index));
    expect(stream.raw()).toMatch(/^retry: \d+\n/);
  });

  it('serves /metrics that parse, counting exactly the requests sent', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const { balancer, base } = await withAdmin({
      backends: [{ url: a.url, weight: 2 }, b.url, 'http://127.0.0.1:1'], // the last refuses
      logLevel: 'silent',
    });
    const sent = 150;
    for (let i = 0; i < sent; i++) {
      expect((await httpRequest(`${balancer.url}/n/${i}`, { agent })).status).toBe(200);
    }
    const reply = await admin(base, '/metrics');
    expect(reply.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = parsePrometheusText(reply.body);
    const sum = (name: string, match: Record<string, string> = {}, sample = name) =>
      total(families, name, match, sample);
    expect(families.get('koa_fleet_balancer_responses_total')?.type).toBe('counter');
    expect(families.get('koa_fleet_balancer_response_seconds')?.type).toBe('histogram');
    expect(sum('koa_fleet_balancer_responses_total', { class: '2xx' })).toBe(sent);
    expect(sum('koa_fleet_balancer_responses_total')).toBe(sent);
    const histogram = 'koa_fleet_balancer_response_seconds';
    expect(sum(histogram, {}, `${histogram}_count`)).toBe(sent);
    expect(sum(histogram, { le: '+Inf' }, `${histogram}_bucket`)).toBe(sent);
    // One try went to the refusing backend, failed, and was retried on another.
    const refusing = { backend: 'http://127.0.0.1:1' };
    expect(sum('koa_fleet_balancer_errors_total', { ...refusing, kind: 'connect' })).toBe(1);
    expect(sum('koa_fleet_balancer_errors_total')).toBe(1);
    expect(sum('koa_fleet_balancer_retries_total', refusing)).toBe(1);
    expect(sum('koa_fleet_balancer_requests_total')).toBe(sent + 1);
    expect(sum('koa_fleet_balancer_backend_state', { ...refusing, state: 'down' })).toBe(1);
    expect(sum('koa_fleet_balancer_backend_state', { state: 'up' })).toBe(2);
    expect(sum('koa_fleet_balancer_backend_active')).toBe(0);
    expect(sum('koa_fleet_balancer_backend_weight', { backend: a.url })).toBe(2);
    expect(a.seen.length + b.seen.length).toBe(sent);
    // The same counts in the stats.
    const stats = balancer.stats();
    expect(stats.map((backend) => backend.responses['2xx'])).toEqual([
      a.seen.length,
      b.seen.length,
      0,
    ]);
    expect(stats[0]!.latency.count).toBe(a.seen.length);
    expect(stats[0]!.latency.p50).toBeGreaterThan(0);
  });

  it('with the hash strategy, removing one of four backends moves only its keys', async () => {
    const all = await Promise.all(['a', 'b', 'c', 'd'].map((name) => servers.backend(name)));
    const { balancer, base } = await withAdmin({
      backends: all.map((backend) => backend.url),
      strategy: { name: 'hash', key: 'header:x-user' },
    });
    const owners = async () => {
      const names: string[] = [];
      for (let user = 0; user < 120; user++) {
        const reply = await httpRequest(balancer.url, {
          agent,
          headers: { 'x-user': `user-${user}` },
        });
        names.push(reply.json<{ backend: string }>().backend);
      }
      return names;
    };
    const before = await owners();
    expect(new Set(before).size).toBe(4);
    expect((await admin(base, backendPath(all[2]!.url), { method: 'DELETE' })).status).toBe(200);
    const after = await owners();
    const moved = before.filter((name, user) => after[user] !== name);
    expect(moved.length).toBeGreaterThan(0);
    expect(new Set(moved)).toEqual(new Set(['c'])); // only c's keys moved
    expect(after).not.toContain('c');
  });

  it('with active checks, checks an added backend too and shows each last check; a slow start shows', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const { balancer, base } = await withAdmin({
      backends: [a.url],
      healthCheck: { interval: '50ms' },
    });
    const added = await admin(base, '/api/v1/backends', {
      method: 'POST',
      body: { url: b.url, slowStart: '1h' },
    });
    expect(added.json<AdminBackend>()).toMatchObject({ url: b.url, state: 'slow-start' });
    await waitFor('both checked', () => balancer.stats().every((backend) => backend.lastCheck));
    expect(balancer.stats().map((backend) => backend.lastCheck)).toEqual([
      { at: expect.any(String), ok: true, status: 200 },
      { at: expect.any(String), ok: true, status: 200 },
    ]);
    await b.close(); // its checks fail from now on
    await waitFor('a failed check of b', () => balancer.stats()[1]!.lastCheck?.ok === false);
    expect(balancer.stats()[1]!.lastCheck).toMatchObject({ ok: false, reason: 'ECONNREFUSED' });
    expect(b.seen.every((request) => request.url === '/readyz')).toBe(true);
  });

  it('answers bad input with 400 naming the field, unknown backends and routes with 404', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const { base } = await withAdmin({ backends: [a.url, b.url] });
    const cases: [string, string, unknown, number, Partial<AdminErrorBody>][] = [
      [
        'POST',
        '/api/v1/backends',
        { url: 'http://127.0.0.1:9', weight: 0 },
        400,
        { option: 'weight' },
      ],
      ['POST', '/api/v1/backends', { url: 'ftp://x' }, 400, { option: 'url' }],
      ['POST', '/api/v1/backends', { url: a.url }, 400, { option: 'url' }],
      [
        'POST',
        '/api/v1/backends',
        { url: 'http://127.0.0.1:9', weigth: 2 },
        400,
        { option: 'weigth' },
      ],
      ['POST', '/api/v1/backends', '{not json', 400, { option: 'body' }],
      ['PUT', backendPath(a.url, 'weight'), { weight: 'heavy' }, 400, { option: 'weight' }],
      ['PUT', backendPath(a.url, 'weight'), [3], 400, { option: 'body' }],
      [
        'PUT',
        backendPath('http://127.0.0.1:9', 'weight'),
        { weight: 2 },
        404,
        { code: 'KF_BALANCER_UNKNOWN_BACKEND' },
      ],
      [
        'POST',
        backendPath('not a url', 'drain'),
        undefined,
        404,
        { code: 'KF_BALANCER_UNKNOWN_BACKEND' },
      ],
      ['DELETE', backendPath('http://127.0.0.1:9'), undefined, 404, { error: 'not_found' }],
      ['GET', '/api/v2/backends', undefined, 404, { error: 'not_found' }],
      ['POST', backendPath(a.url, 'explode'), undefined, 404, { error: 'not_found' }],
      ['DELETE', '/api/v1/backends', undefined, 405, { error: 'method_not_allowed' }],
    ];
    for (const [method, path, body, status, expected] of cases) {
      const reply = await admin(base, path, { method, body });
      expect(reply.status, `${method} ${path}`).toBe(status);
      expect(reply.json(), `${method} ${path}`).toMatchObject(expected);
    }
    // The last backend is never removed: a balancer always has one to send to.
    expect((await admin(base, backendPath(a.url), { method: 'DELETE' })).status).toBe(200);
    const last = await admin(base, backendPath(b.url), { method: 'DELETE' });
    expect(last.status).toBe(409);
    expect(last.json()).toMatchObject({ error: 'conflict', code: 'KF_BALANCER_LAST_BACKEND' });
  });
});
