import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, httpRequest, spawnNode, stopAll, waitFor } from '@koa-fleet/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import type { AdminBackend, AdminBackendList } from '@koa-fleet/balancer';
import { admin } from './support/admin-client.js';
import { failsFirstRequest, useTestServers } from './support/test-servers.js';

// The bin runs dist/cli.js: build first (the root `pnpm test` does).
const bin = fileURLToPath(new URL('../bin/koa-fleet-balancer.js', import.meta.url));
const servers = useTestServers();
const dir = mkdtempSync(join(tmpdir(), 'kf-balancer-shared-health-'));

async function list(base: string): Promise<AdminBackend[]> {
  return (await admin(base, '/api/v1/backends')).json<AdminBackendList>().backends;
}

/** `koa-fleet-balancer -w 2` over `backends`, out after one failure for longer than a test runs. */
async function startFleet(backends: string[]) {
  const [port, adminPort] = [await freePort(), await freePort()];
  const file = join(dir, `fleet-${port}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      backends,
      maxFails: 1,
      failTimeout: '5m',
      port,
      host: '127.0.0.1',
      admin: { port: adminPort },
    }),
  );
  const cli = await spawnNode(bin, {
    args: ['-c', file, '-w', '2'],
    readyLine: /balancing 2 backends on .* with 2 workers/,
    timeout: 60_000,
  });
  const base = `http://127.0.0.1:${adminPort}`;
  await waitFor('both balancer processes answering the admin', async () => {
    const listed = await list(base);
    return listed.every((backend) => backend.workers?.length === 2);
  });
  return { cli, base, url: `http://127.0.0.1:${port}` };
}

/** Every balancer process's state of each backend, in the configured order. */
async function workerStates(base: string): Promise<string[][]> {
  return (await list(base)).map((backend) => (backend.workers ?? []).map((w) => w.state));
}

describe('koa-fleet-balancer --workers 2 passive health', () => {
  afterAll(stopAll);

  it('a backend one balancer process takes out for its failures is skipped by the other', async () => {
    const good = await servers.backend('good');
    // Reads the request, then cuts the connection: a failed try (retried on `good`).
    const bad = await servers.backend('bad', (_req, res) => res.socket?.destroy());
    // Out after one failure, for longer than the test runs: nothing brings it back meanwhile.
    const { cli, base, url } = await startFleet([good.url, bad.url]);
    // Fresh connections, one at a time, until one process has sent a request to `bad`.
    for (let sent = 0; bad.seen.length === 0; sent++) {
      expect(sent).toBeLessThan(50);
      const reply = await httpRequest(`${url}/`);
      expect(reply.json<{ backend: string }>().backend).toBe('good');
    }
    expect(bad.seen).toHaveLength(1);
    await waitFor('bad down in both processes', async () => {
      const states = (await list(base)).find((backend) => backend.url === bad.url)?.workers;
      return states?.length === 2 && states.every((worker) => worker.state === 'down');
    });
    // Each process would send one in two requests to `bad` if it were up there.
    for (let i = 0; i < 20; i++) {
      const reply = await httpRequest(`${url}/`);
      expect(reply.json<{ backend: string }>().backend).toBe('good');
    }
    expect(bad.seen).toHaveLength(1);
    expect(cli.stdout()).toMatch(
      /backend .* is down in balancer worker \d: taking it out in every one/,
    );
    cli.kill('SIGTERM');
    expect(await cli.waitForExit()).toEqual({ code: 0, signal: null });
  });

  it('keeps answering when shared verdicts have taken every backend out of every process', async () => {
    const a = await servers.backend('a', failsFirstRequest());
    const b = await servers.backend('b', failsFirstRequest());
    const { cli, base, url } = await startFleet([a.url, b.url]);
    // One GET fails on one backend, is retried on the other and fails there too.
    expect((await httpRequest(`${url}/`)).status).toBe(502);
    await waitFor('both backends down in both processes', async () =>
      (await workerStates(base)).every((states) => states.join() === 'down,down'),
    );
    // Fresh connections: node's cluster hands them to both processes in turn.
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await httpRequest(`${url}/`)).status);
    const ok = statuses.filter((status) => status === 200).length;
    console.log(`every backend down in both processes: ${ok} of 20 answered 200`);
    expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));
    expect(a.seen.length + b.seen.length).toBe(22);
    // Still down everywhere: tried for want of any other, not brought back.
    expect(await workerStates(base)).toEqual([
      ['down', 'down'],
      ['down', 'down'],
    ]);
    cli.kill('SIGTERM');
    expect(await cli.waitForExit()).toEqual({ code: 0, signal: null });
  });
});
