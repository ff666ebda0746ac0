import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, httpRequest, spawnNode, stopAll, waitFor } from '@koa-fleet/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import type {
  AdminBackend,
  AdminBackendList,
  AdminErrorBody,
  AdminReloadResult,
} from '@koa-fleet/balancer';
import { admin, subscribe } from './support/admin-client.js';
import { useTestServers, type TestBackend } from './support/test-servers.js';
import { postLoad } from './support/post-load.js';

// The bin runs dist/cli.js: build first (the root `pnpm test` does).
const bin = fileURLToPath(new URL('../bin/koa-fleet-balancer.js', import.meta.url));
const servers = useTestServers();
const dir = mkdtempSync(join(tmpdir(), 'kf-balancer-reload-'));

async function list(base: string): Promise<AdminBackend[]> {
  return (await admin(base, '/api/v1/backends')).json<AdminBackendList>().backends;
}

/** Backend names answering `count` requests, each on a fresh connection (any worker). */
async function names(url: string, count: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) {
    seen.push((await httpRequest(url)).json<{ backend: string }>().backend);
  }
  return seen;
}

const count = (backends: TestBackend[]) => backends.map((backend) => backend.seen.length);

describe('koa-fleet-balancer config reload', () => {
  afterAll(stopAll);

  it('SIGHUP reads the rewritten --config under keep-alive load: 0 failed, the new backends in effect; a bad file is refused naming the field', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const port = await freePort();
    const file = join(dir, 'sighup.json');
    const write = (config: object) =>
      writeFileSync(file, JSON.stringify({ port, host: '127.0.0.1', ...config }));
    write({ backends: [a.url] });
    const cli = await spawnNode(bin, { args: ['-c', file], readyLine: /balancing 1 backend/ });
    const running = postLoad(`http://127.0.0.1:${port}`, 3);
    await waitFor('load flowing', () => a.seen.length > 200);
    write({ backends: [a.url, { url: b.url, weight: 3 }] });
    process.kill(cli.pid, 'SIGHUP'); // the balancer's process alone, not its group
    await cli.waitForLine(/reloaded the config: 1 backend added/);
    const [aAt, bAt] = count([a, b]);
    write({ backends: [a.url, { url: b.url, weight: 'heavy' }] });
    process.kill(cli.pid, 'SIGHUP');
    await cli.waitForLine(/reload refused: option \\"backends\[1\]\.weight\\" must be/);
    const { failed, result } = await running;
    expect(failed).toBe(0);
    expect(result.requests).toBeGreaterThan(500);
    // The refused file changed nothing: a and b go on 1:3.
    const [aAfter, bAfter] = [a.seen.length - aAt!, b.seen.length - bAt!];
    expect(bAfter / (aAfter + bAfter)).toBeGreaterThanOrEqual(0.72);
    expect(bAfter / (aAfter + bAfter)).toBeLessThanOrEqual(0.78);
    cli.kill('SIGTERM');
    expect(await cli.waitForExit()).toEqual({ code: 0, signal: null });
  });

  it('POST /api/v1/reload reads a module config again with the same flags; without --config it answers 409', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const [port, adminPort] = [await freePort(), await freePort()];
    const file = join(dir, 'reload.mjs');
    const write = (backends: string[]) =>
      writeFileSync(file, `export default { backends: ${JSON.stringify(backends)}, port: 1 };\n`);
    write([a.url]);
    const base = `http://127.0.0.1:${adminPort}`;
    const cli = await spawnNode(bin, {
      args: ['-c', file, '-p', String(port), '-H', '127.0.0.1', '--admin-port', String(adminPort)],
      readyLine: /admin API on/,
    });
    write([b.url]);
    const reloaded = await admin(base, '/api/v1/reload', { method: 'POST' });
    expect(reloaded.status).toBe(200);
    expect(reloaded.json<AdminReloadResult>()).toEqual({
      added: [b.url],
      removed: [a.url],
      reweighted: [],
      reconfigured: [],
    });
    // `-p` still wins over the file's port 1: the reload took the same flags.
    expect(await names(`http://127.0.0.1:${port}`, 3)).toEqual(['b', 'b', 'b']);
    await cli.stop();

    const bare = await spawnNode(bin, {
      args: ['-b', a.url, '-p', String(port), '-H', '127.0.0.1', '--admin-port', String(adminPort)],
      readyLine: /admin API on/,
    });
    const refused = await admin(base, '/api/v1/reload', { method: 'POST' });
    expect(refused.status).toBe(409);
    expect(refused.json<AdminErrorBody>()).toMatchObject({
      error: 'conflict',
      code: 'KF_BALANCER_RELOAD_UNAVAILABLE',
    });
    await bare.stop();
  });

  it('--workers 2: POST /api/v1/reload applies the file in every balancer process, and SIGHUP replacements start from the config the primary holds', async () => {
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((name) => servers.backend(name)));
    const [port, adminPort] = [await freePort(), await freePort()];
    const file = join(dir, 'workers.json');
    const write = (config: object) =>
      writeFileSync(
        file,
        JSON.stringify({ port, host: '127.0.0.1', admin: { port: adminPort }, ...config }),
      );
    write({ backends: [a!.url] });
    const cli = await spawnNode(bin, {
      args: ['-c', file, '-w', '2'],
      readyLine: /balancing 1 backend on .* with 2 workers/,
      timeout: 60_000,
    });
    const base = `http://127.0.0.1:${adminPort}`;
    await waitFor('both balancer processes answering the admin', async () => {
      const [backend] = await list(base);
      return backend?.workers?.length === 2;
    });
    write({ backends: [{ url: b!.url, weight: 2 }] });
    const stream = await subscribe(base);
    const reloaded = await admin(base, '/api/v1/reload', { method: 'POST' });
    expect(reloaded.status).toBe(200);
    // One event for the fleet's reload, from the primary, not one per balancer process.
    await waitFor('config-reloaded', () =>
      stream.events.some((event) => event.event === 'config-reloaded'),
    );
    expect(stream.events.filter((event) => event.event === 'config-reloaded')).toMatchObject([
      { data: { added: [b!.url], removed: [a!.url], workers: 2 } },
    ]);
    stream.close();
    expect(reloaded.json<AdminReloadResult>()).toEqual({
      added: [b!.url],
      removed: [a!.url],
      reweighted: [],
      reconfigured: [],
      workers: 2,
    });
    expect(await list(base)).toMatchObject([
      { url: b!.url, weight: 2, workers: [{ state: 'up' }, { state: 'up' }] },
    ]);
    expect(await names(`http://127.0.0.1:${port}`, 8)).toEqual(Array(8).fill('b'));

    write({ backends: [b!.url], admin: { port: adminPort, host: '::1' } });
    const restart = await admin(base, '/api/v1/reload', { method: 'POST' });
    expect(restart.status).toBe(409);
    expect(restart.json<AdminErrorBody>()).toMatchObject({ option: 'admin' });
    writeFileSync(file, '{ "backends": [');
    const broken = await admin(base, '/api/v1/reload', { method: 'POST' });
    expect(broken.status).toBe(400);
    expect(broken.json<AdminErrorBody>()).toMatchObject({ code: 'KF_BALANCER_CONFIG_FILE' });

    // A broken file and SIGHUP: the primary refuses it, and the replacements start from the
    // config it holds (b), though they cannot read the file themselves.
    process.kill(cli.pid, 'SIGHUP');
    await cli.waitForLine(/reload refused: config file .* not valid JSON/);
    await cli.waitForLine(/generation \d+ serving on every slot/, { timeout: 60_000 });
    expect(await names(`http://127.0.0.1:${port}`, 8)).toEqual(Array(8).fill('b'));
    write({ backends: [b!.url, c!.url] });
    process.kill(cli.pid, 'SIGHUP');
    await waitFor(
      'both processes balancing over b and c',
      async () => {
        const backends = await list(base).catch(() => []);
        return backends.length === 2 && backends.every((backend) => backend.workers?.length === 2);
      },
      60_000,
    );
    expect(new Set(await names(`http://127.0.0.1:${port}`, 8))).toEqual(new Set(['b', 'c']));
    cli.kill('SIGTERM');
    expect(await cli.waitForExit()).toEqual({ code: 0, signal: null });
  });
});
