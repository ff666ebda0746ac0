import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, isPortFree } from '@koa-fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerStartError } from '../src/errors.js';
import { backendUrls } from '../src/contenders/backend-urls.js';
import { helloBackends } from '../src/setup/hello-backends.js';
import { findExecutable } from '../src/internal/find-executable.js';
import { waitForWorkers } from '../src/internal/wait-for-workers.js';
import type { Contender, ScenarioFixture } from '../src/scenario.js';
import { balancer } from '../src/scenarios/balancer.js';

// Real proxies on 127.0.0.1 in front of real backends: that each comes up, reaches every
// backend and leaves nothing behind. No timing: never a benchmark.

// Contenders that run a binary rather than node; skipped where it is not installed.
const needs: Record<string, string> = { nginx: 'nginx', haproxy: 'haproxy' };

function contender(name: string): Contender {
  const found = balancer.contenders.find((c) => c.name === name);
  if (!found) throw new Error(`no contender ${name}`);
  return found;
}

describe('balancer scenario contenders', () => {
  let fixture: ScenarioFixture;
  let backendPids: Set<number>;

  beforeAll(async () => {
    fixture = await helloBackends(2)();
    const urls = fixture.env.BACKENDS!.split(',');
    const pids = await Promise.all(urls.map((url) => waitForWorkers(url, 1)));
    backendPids = new Set(pids.flatMap((set) => [...set]));
  }, 60_000);
  afterAll(() => fixture?.stop());

  it('the fixture runs two backends, each its own process, on 127.0.0.1', () => {
    expect(fixture.env.BACKENDS).toMatch(/^http:\/\/127\.0\.0\.1:\d+,http:\/\/127\.0\.0\.1:\d+$/);
    expect(backendPids.size).toBe(2);
  });

  it('direct is the first backend itself, and stopping it stops nothing', async () => {
    const server = await contender('direct').start({ port: 1, env: fixture.env });
    expect(server.url).toBe(fixture.env.BACKENDS!.split(',')[0]);
    await server.stop();
    expect((await waitForWorkers(server.url, 1)).size).toBe(1); // the backend still answers
  });

  it.for(['nginx', 'haproxy', 'fastify-reply-from', 'http-proxy', 'koa-fleet', 'koa-fleet-admin'])(
    '%s answers from both backends and frees its port when stopped',
    { timeout: 60_000 },
    async (name, ctx) => {
      const binary = needs[name];
      if (binary && !findExecutable(binary)) ctx.skip(`${binary} is not installed`);
      const port = await freePort();
      const server = await contender(name).start({ port, env: fixture.env });
      try {
        expect(server.url).toBe(`http://127.0.0.1:${port}`);
        expect(await waitForWorkers(server.url, 2)).toEqual(backendPids);
      } finally {
        await server.stop();
      }
      expect(await isPortFree(port)).toBe(true);
    },
  );

  it('haproxy removes its config dir when stopped', async (ctx) => {
    if (!findExecutable('haproxy')) ctx.skip('haproxy is not installed');
    const ours = () =>
      readdirSync(tmpdir()).filter((f) => f.startsWith('koa-fleet-bench-haproxy-'));
    const before = new Set(ours());
    const server = await contender('haproxy').start({ port: await freePort(), env: fixture.env });
    const dirs = ours().filter((f) => !before.has(f));
    expect(dirs).toHaveLength(1);
    await server.stop();
    expect(existsSync(join(tmpdir(), dirs[0]!))).toBe(false);
  }, 60_000);
});

describe('backendUrls', () => {
  it('fails a proxy contender started without the fixture with KF_BENCH_SERVER_START', async () => {
    const error: unknown = await contender('nginx')
      .start({ port: await freePort() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerStartError);
    expect(String(error)).toContain('contender "nginx" proxies to the scenario\'s backends');
  });

  it('splits the fixture env into URLs', () => {
    const env = { BACKENDS: 'http://127.0.0.1:1,http://127.0.0.1:2' };
    expect(backendUrls('x', { port: 0, env })).toEqual([
      'http://127.0.0.1:1',
      'http://127.0.0.1:2',
    ]);
  });

  it('helloBackends rejects a count below 1 naming the option', () => {
    expect(() => helloBackends(0)).toThrowError('option "count" must be an integer ≥ 1, got 0');
  });
});
