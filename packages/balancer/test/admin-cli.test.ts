import { fileURLToPath } from 'node:url';
import { freePort, httpRequest, spawnNode, stopAll, waitFor } from '@koa-fleet/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import type { AdminBackend, AdminBackendList } from '@koa-fleet/balancer';
import { admin, backendPath, subscribe } from './support/admin-client.js';
import { parsePrometheusText, total } from './support/prometheus-text.js';
import { useTestServers } from './support/test-servers.js';

// The bin runs dist/cli.js: build first (the root `pnpm test` does).
const bin = fileURLToPath(new URL('../bin/koa-fleet-balancer.js', import.meta.url));
const servers = useTestServers();
const TOKEN = 'cli-admin-token-0123456789';

/** Backend names answering `count` requests, each on a fresh connection (any worker). */
async function names(url: string, count: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) {
    seen.push((await httpRequest(url)).json<{ backend: string }>().backend);
  }
  return seen;
}

async function list(base: string, token?: string): Promise<AdminBackend[]> {
  return (await admin(base, '/api/v1/backends', { token })).json<AdminBackendList>().backends;
}

describe('koa-fleet-balancer with an admin listener', () => {
  afterAll(stopAll);

  it('refuses --admin-host off loopback without a token (exit 2), and takes KOA_FLEET_ADMIN_TOKEN', async () => {
    const backend = await servers.backend('a');
    const refused = await spawnNode(bin, {
      args: ['-b', backend.url, '--admin-port', '0', '--admin-host', '0.0.0.0'],
    });
    expect(await refused.waitForExit()).toEqual({ code: 2, signal: null });
    expect(refused.stderr()).toBe(
      'koa-fleet-balancer: --admin-token (or KOA_FLEET_ADMIN_TOKEN) must be set when admin.host ' +
        'is not a loopback address (0.0.0.0 is reachable from other hosts), got nothing\n',
    );
    const orphan = await spawnNode(bin, { args: ['-b', backend.url, '--admin-host', '::1'] });
    expect(await orphan.waitForExit()).toEqual({ code: 2, signal: null });
    expect(orphan.stderr()).toContain('--admin-port must be given with --admin-host');

    const [port, adminPort] = [await freePort(), await freePort()];
    const cli = await spawnNode(bin, {
      args: ['-b', backend.url, '-p', String(port), '-H', '127.0.0.1'],
      env: { KOA_FLEET_ADMIN_TOKEN: TOKEN },
      readyLine: /balancing/,
    });
    // The environment's token alone turns nothing on: the admin port is what does.
    expect(cli.stdout()).not.toContain('admin API');
    await cli.stop();
    const withAdmin = await spawnNode(bin, {
      args: ['-b', backend.url, '-p', String(port), '--admin-port', String(adminPort)],
      env: { KOA_FLEET_ADMIN_TOKEN: TOKEN },
      readyLine: /admin API on http:\/\/127\.0\.0\.1:/,
    });
    const base = `http://127.0.0.1:${adminPort}`;
    expect((await admin(base, '/api/v1/backends')).status).toBe(401);
    expect(await list(base, TOKEN)).toMatchObject([{ url: backend.url, state: 'up' }]);
    withAdmin.kill('SIGTERM');
    expect(await withAdmin.waitForExit()).toEqual({ code: 0, signal: null });
  });

  it('--workers 2: one admin listener in the primary changes, counts and streams every balancer process', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const [port, adminPort] = [await freePort(), await freePort()];
    const cli = await spawnNode(bin, {
      args: [
        ...['-b', a.url, '-p', String(port), '-H', '127.0.0.1', '-w', '2', '--access-log'],
        ...['--admin-port', String(adminPort), '--admin-token', TOKEN],
      ],
      readyLine: /balancing 1 backend on .* with 2 workers/,
      timeout: 60_000,
    });
    expect(cli.stdout()).toContain(`admin API on http://127.0.0.1:${adminPort}`);
    const base = `http://127.0.0.1:${adminPort}`;
    const url = `http://127.0.0.1:${port}/`;
    await waitFor('both balancer processes answering the admin', async () => {
      const [backend] = await list(base, TOKEN);
      return backend?.workers?.length === 2;
    });
    expect((await list(base, TOKEN))[0]).toMatchObject({
      url: a.url,
      workers: [
        { workerId: 0, state: 'up' },
        { workerId: 1, state: 'up' },
      ],
    });

    const stream = await subscribe(base, TOKEN);
    const added = await admin(base, '/api/v1/backends', {
      method: 'POST',
      body: { url: b.url },
      token: TOKEN,
    });
    expect(added.status).toBe(201);
    expect(added.json<AdminBackend>()).toMatchObject({ url: b.url, workers: [{}, {}] });
    const drained = await admin(base, backendPath(a.url, 'drain'), {
      method: 'POST',
      token: TOKEN,
    });
    expect(drained.json<AdminBackend>()).toMatchObject({
      state: 'draining',
      drained: true,
      workers: [
        { workerId: 0, state: 'draining' },
        { workerId: 1, state: 'draining' },
      ],
    });
    // Fresh connections land on either process: every one of them now sends to b only.
    const sent = 16;
    expect(await names(url, sent)).toEqual(Array.from({ length: sent }, () => 'b'));
    await waitFor('a state change from each process', () =>
      [0, 1].every((workerId) =>
        stream.events.some(
          (event) =>
            event.event === 'backend-state' &&
            event.data.workerId === workerId &&
            event.data.state === 'draining',
        ),
      ),
    );
    expect(stream.events.some((event) => event.event === 'backend-added')).toBe(true);
    stream.close();

    // The metrics of both processes, summed: exactly the requests sent.
    const metrics = parsePrometheusText((await admin(base, '/metrics', { token: TOKEN })).body);
    expect(total(metrics, 'koa_fleet_balancer_workers_answered')).toBe(2);
    expect(total(metrics, 'koa_fleet_balancer_responses_total', { backend: b.url })).toBe(sent);
    expect(total(metrics, 'koa_fleet_balancer_backend_weight', { backend: b.url })).toBe(1);
    expect(
      total(metrics, 'koa_fleet_balancer_backend_state', { backend: a.url, state: 'draining' }),
    ).toBe(2);
    const [, statsOfB] = await list(base, TOKEN);
    expect(statsOfB).toMatchObject({ url: b.url, responses: { '2xx': sent } });

    // A worker that is replaced catches up with the changes before it serves.
    const pids = new Set<number>();
    for (const line of cli.stdout().split('\n')) {
      if (line.includes('"msg":"request"')) pids.add((JSON.parse(line) as { pid: number }).pid);
    }
    expect(pids.size).toBe(2);
    process.kill([...pids][0]!, 'SIGKILL');
    await waitFor(
      'the replacement answering with the changes applied',
      async () => {
        const backends = await list(base, TOKEN).catch(() => []);
        const [first, second] = backends;
        return (
          first?.workers?.length === 2 &&
          first.workers.every((worker) => worker.state === 'draining') &&
          second?.url === b.url &&
          second.workers?.length === 2 &&
          second.requests < sent // the replacement's counters start from 0
        );
      },
      60_000,
    );
    expect(await names(url, 8)).toEqual(Array.from({ length: 8 }, () => 'b'));

    const removed = await admin(base, backendPath(a.url), { method: 'DELETE', token: TOKEN });
    expect(removed.status).toBe(200);
    expect((await list(base, TOKEN)).map((backend) => backend.url)).toEqual([b.url]);
    cli.kill('SIGTERM');
    expect(await cli.waitForExit()).toEqual({ code: 0, signal: null });
  });
});
