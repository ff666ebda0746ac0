import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@koa-fleet/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { koaFleet } from '../src/contenders/koa-fleet.js';
import { nodeServer } from '../src/contenders/node-server.js';
import { pm2Cluster } from '../src/contenders/pm2.js';
import { serverEntry } from '../src/contenders/server-entry.js';
import { ServerStartError } from '../src/errors.js';
import { waitForWorkers } from '../src/internal/wait-for-workers.js';
import { pickLoadTool } from '../src/load/pick-load-tool.js';
import { runLoad } from '../src/load/run-load.js';
import type { Contender } from '../src/scenario.js';
import { isRunning } from '../src/internal/wait-for-pids-exit.js';

// Real processes on 127.0.0.1: the harness's own moving parts, not a benchmark (no timing).

// A zombie (exited, not yet reaped by init) counts as gone: it runs no code and holds no port.
const isAlive = isRunning;

async function startAndCountWorkers(contender: Contender, workers: number) {
  const server = await contender.start({ port: await freePort() });
  try {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const pids = await waitForWorkers(server.url, workers);
    return { server, pids };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

describe('node server contenders', () => {
  it('node-cluster answers from two worker processes and leaves none behind when stopped', async () => {
    const contender = nodeServer({
      name: 'node-cluster',
      description: 'test',
      entry: serverEntry('node-cluster.js'),
      env: { WORKERS: '2' },
    });
    const { server, pids } = await startAndCountWorkers(contender, 2);
    expect(pids.size).toBe(2);
    await server.stop();
    expect([...pids].filter(isAlive)).toEqual([]);
  });

  it('fails with KF_BENCH_SERVER_START and the server output when the server crashes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-crash-'));
    try {
      const entry = join(dir, 'crash.js');
      writeFileSync(entry, "console.error('boom: no database'); process.exit(3);\n");
      const contender = nodeServer({ name: 'crashy', description: 'test', entry });
      const error: unknown = await contender
        .start({ port: await freePort() })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServerStartError);
      expect(error).toMatchObject({ code: 'KF_BENCH_SERVER_START' });
      expect(String((error as Error).message)).toMatch(/crashy[\s\S]*boom: no database/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('koa-fleet contender', () => {
  it('serves from two workers, replaces both on reload() and leaves none behind', async () => {
    const contender = koaFleet({ name: 'koa-fleet', description: 'test', workers: 2 });
    const { server, pids } = await startAndCountWorkers(contender, 2);
    try {
      expect(server.reload).toBeTypeOf('function');
      await server.reload!();
      await server.reload!(); // each reload waits for its own report line
      const after = await waitForWorkers(server.url, 2);
      expect([...after].filter((pid) => pids.has(pid))).toEqual([]);
      expect([...pids].filter(isAlive)).toEqual([]);
      pids.clear();
      for (const pid of after) pids.add(pid);
    } finally {
      await server.stop();
    }
    expect([...pids].filter(isAlive)).toEqual([]);
  }, 120_000);
});

describe('load tool', () => {
  const single = nodeServer({
    name: 'single',
    description: 'test',
    entry: serverEntry('single.js'),
  });
  let stop: (() => Promise<void>) | undefined;
  afterAll(() => stop?.());

  it('counts the requests it sent, and counts 404s as non-2xx', async () => {
    const server = await single.start({ port: await freePort() });
    stop = server.stop;
    const tool = pickLoadTool();
    const ok = await runLoad(tool, { url: `${server.url}/hello`, connections: 2, durationSec: 1 });
    expect(ok.requests).toBeGreaterThan(0);
    expect(ok.requestsPerSec).toBeGreaterThan(0);
    expect(ok).toMatchObject({ non2xx: 0, socketErrors: 0 });
    const missing = await runLoad(tool, {
      url: `${server.url}/missing`,
      connections: 2,
      durationSec: 1,
    });
    expect(missing.requests).toBeGreaterThan(0);
    expect(missing.non2xx).toBe(missing.requests);
  });
});

describe('PM2 contender', () => {
  it('runs -i 2 under its own PM2_HOME and kills the daemon and workers when stopped', async () => {
    const before = new Set(
      readdirSync(tmpdir()).filter((f) => f.startsWith('koa-fleet-bench-pm2-')),
    );
    const contender = pm2Cluster({
      name: 'pm2',
      description: 'test',
      entry: serverEntry('single.js'),
      instances: 2,
    });
    const { server, pids } = await startAndCountWorkers(contender, 2);
    const homes = readdirSync(tmpdir()).filter(
      (f) => f.startsWith('koa-fleet-bench-pm2-') && !before.has(f),
    );
    expect(homes).toHaveLength(1);
    const daemon = Number(readFileSync(join(tmpdir(), homes[0]!, 'pm2.pid'), 'utf8'));
    expect(isAlive(daemon)).toBe(true);
    await server.stop();
    expect([...pids, daemon].filter(isAlive)).toEqual([]);
    expect(existsSync(join(tmpdir(), homes[0]!))).toBe(false);
  }, 120_000);

  it('rejects a non-integer instance count naming the option', () => {
    expect(() =>
      pm2Cluster({
        name: 'pm2',
        description: 'test',
        entry: serverEntry('single.js'),
        instances: 0,
      }),
    ).toThrowError('option "instances" must be an integer ≥ 1, got 0');
  });
});
