import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { breakEntry, writeVersionedEntry } from './helpers/entry-files.js';
import { fixture, isAlive, startPrimary } from './helpers/fleet.js';
import { get, getEventually } from './helpers/http.js';
import type { NodeProcess } from './helpers/node-process.js';
import { freePort } from './helpers/ports.js';

const running: NodeProcess[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  for (const server of servers.splice(0)) server.close();
});

function start(options: Record<string, unknown>): NodeProcess {
  const primary = startPrimary(options);
  running.push(primary);
  return primary;
}

/** The log records a user sees at the default level (the fixture logs at debug). */
function shownLogs(primary: NodeProcess): Array<Record<string, unknown>> {
  return primary.records().filter((r) => r.test === undefined && Number(r.level) >= 30);
}

interface Stats {
  status: string;
  ready: number;
  restarts: number;
  workers: Array<{ pid: number; workerId: number; state: string; restarts: number }>;
}

describe('supervision', () => {
  it('replaces a worker killed with SIGKILL and keeps serving', async () => {
    const port = await freePort();
    const primary = start({ entry: fixture('hello.mjs'), workers: 2, port });
    const { stats } = (await primary.waitForTest('ready')) as { stats: Stats };
    const victim = stats.workers[0]!;

    process.kill(victim.pid, 'SIGKILL');
    await primary.waitFor(
      (_l, j) => j?.test === 'worker-exit' && j.pid === victim.pid && j.expected === false,
    );
    // The survivor serves while the slot restarts.
    expect((await getEventually(port)).status).toBe(200);
    // The primary's event, not the worker's log line: the line can be read before the primary
    // has handled the worker's ready message, and stats() would still show the slot starting.
    const restarted = await primary.waitFor(
      (_l, j) =>
        j?.test === 'worker-ready' && j.workerId === victim.workerId && j.pid !== victim.pid,
    );
    primary.send('stats');
    const after = ((await primary.waitForTest('stats')) as { stats: Stats }).stats;
    const slot = after.workers.find((w) => w.workerId === victim.workerId && w.state === 'ready');
    expect(slot?.pid).toBe(restarted.pid);
    expect(slot?.restarts).toBe(1);
    expect(after.ready).toBe(2);
  });

  it('stops restarting a slot that crashes maxCrashes times in the window and reports degraded', async () => {
    const port = await freePort();
    const primary = start({
      entry: fixture('crash-slot-1.mjs'),
      workers: 2,
      port,
      maxCrashes: 3,
      restartDelay: '20ms',
    });
    const { stats } = (await primary.waitForTest('ready')) as { stats: Stats };

    expect(stats.status).toBe('degraded');
    expect(stats.ready).toBe(1);
    const givenUp = await primary.waitFor((_l, j) => String(j?.msg).startsWith('slot 1 given up'));
    expect(givenUp?.code).toBe('KF_CRASH_LOOP');
    expect(String(givenUp?.msg)).toContain('slot 1 cannot start');
    const exits = primary.records().filter((r) => r.test === 'worker-exit' && r.workerId === 1);
    expect(exits).toHaveLength(3);
    expect((await get(port)).json().workerId).toBe(0);
  });

  it('exits non-zero with the last error when every slot crash-loops at boot', async () => {
    const primary = start({
      entry: fixture('crash-on-boot.mjs'),
      workers: 2,
      port: await freePort(),
      maxCrashes: 2,
      restartDelay: '20ms',
    });
    const failed = await primary.waitForTest('ready-failed');
    expect(failed.code).toBe('KF_CRASH_LOOP');
    expect(String(failed.message)).toContain('database unreachable');
    expect((await primary.exit).code).toBe(1);
  });

  it('reports an entry that exports no Koa app once, without respawning it', async () => {
    const primary = start({ entry: fixture('no-app.mjs'), workers: 2, port: await freePort() });
    const failed = await primary.waitForTest('ready-failed');
    expect(failed.code).toBe('KF_WORKER_START');
    expect(String(failed.message)).toMatch(
      /must export a Koa app or a factory .* got an object with keys port/,
    );
    expect((await primary.exit).code).toBe(1);
    // One attempt per slot, no retries.
    expect(primary.records().filter((r) => r.test === 'worker-exit')).toHaveLength(2);
  });

  it('reports a syntax error in the entry with its location, without respawning it', async () => {
    const entry = writeVersionedEntry('v1');
    breakEntry(entry);
    const primary = start({ entry, workers: 1, port: await freePort() });
    const failed = await primary.waitForTest('ready-failed');
    expect(String(failed.message)).toMatch(/SyntaxError/);
    expect(String(failed.message)).toContain(entry);
    expect((await primary.exit).code).toBe(1);
    expect(primary.records().filter((r) => r.test === 'worker-exit')).toHaveLength(1);
  });

  it('fails with KF_PORT_IN_USE and exit code 1 when the port is taken', async () => {
    const port = await freePort();
    const blocker = createServer();
    servers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));

    const primary = start({ entry: fixture('hello.mjs'), workers: 2, port });
    const failed = await primary.waitForTest('ready-failed');
    expect(failed.code).toBe('KF_PORT_IN_USE');
    expect(failed.message).toBe(
      `cannot listen on 127.0.0.1:${port}: the address is already in use`,
    );
    expect((await primary.exit).code).toBe(1);
  });

  it('leaves no worker behind when the primary is killed with SIGKILL', async () => {
    const port = await freePort();
    const primary = start({ entry: fixture('hello.mjs'), workers: 2, port });
    const { stats } = (await primary.waitForTest('ready')) as { stats: Stats };

    process.kill(primary.pid, 'SIGKILL');
    await primary.exit;
    // Each worker sees the IPC channel close and exits; wait until the port is free again.
    for (let i = 0; ; i++) {
      const blocker = createServer();
      const bound = await new Promise<boolean>((resolve) => {
        blocker.once('error', () => resolve(false));
        blocker.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (bound) blocker.close();
      if (bound && stats.workers.every((w) => !isAlive(w.pid))) break;
      if (i > 300) throw new Error('workers still alive or port still held');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('kills and replaces a worker whose event loop is blocked past heartbeatTimeout', async () => {
    const port = await freePort();
    const primary = start({
      entry: fixture('hello.mjs'),
      workers: 1,
      port,
      heartbeatInterval: '200ms',
      heartbeatTimeout: '2s',
    });
    const { stats } = (await primary.waitForTest('ready')) as { stats: Stats };
    const blocked = stats.workers[0]!.pid;

    get(port, '/block?ms=600000').catch(() => {}); // never answers: the worker is killed
    const exit = await primary.waitFor((_l, j) => j?.test === 'worker-exit' && j.pid === blocked);
    expect(exit.signal).toBe('SIGKILL');
    expect(String(exit.reason)).toMatch(/no heartbeat for \d+ ms \(event loop blocked\?\)/);
    const reply = await getEventually(port);
    expect(reply.json().pid).not.toBe(blocked);
  });

  it('replaces a worker over maxMemory gracefully: the new one serves before the old one drains', async () => {
    const port = await freePort();
    const primary = start({
      entry: fixture('hello.mjs'),
      workers: 1,
      port,
      maxMemory: '300mb',
      heartbeatInterval: '200ms',
    });
    const { stats } = (await primary.waitForTest('ready')) as { stats: Stats };
    const heavy = stats.workers[0]!.pid;

    expect((await get(port, '/grow?mb=400')).status).toBe(200);
    await primary.waitFor(
      (_l, j) =>
        String(j?.msg).startsWith(`worker ${heavy} uses`) &&
        String(j?.msg).endsWith('over maxMemory: replacing it'),
    );
    const exit = await primary.waitFor((_l, j) => j?.test === 'worker-exit' && j.pid === heavy);
    expect(exit).toMatchObject({ expected: true, code: 0 });
    const reply = (await get(port)).json();
    expect(reply.pid).not.toBe(heavy);
    primary.send('stats');
    const after = ((await primary.waitForTest('stats')) as { stats: Stats }).stats;
    expect(after.restarts).toBe(1);
    expect(after.ready).toBe(1);
  });

  it('stops replacing a slot whose fresh workers are over maxMemory again and again, and keeps it serving', async () => {
    const port = await freePort();
    // 32mb is below what any Node worker needs: each fresh worker is over it at once.
    const primary = start({
      entry: fixture('hello.mjs'),
      workers: 1,
      port,
      maxMemory: '32mb',
      heartbeatInterval: '100ms',
      maxCrashes: 2,
    });
    const loop = await primary.waitFor((_l, j) => j?.code === 'KF_MEMORY_LOOP');
    expect(String(loop.msg)).toContain('replaced for maxMemory (33554432 bytes) 2 times');
    const replacements = () =>
      primary.records().filter((r) => String(r.msg).endsWith('over maxMemory: replacing it'));
    expect(replacements()).toHaveLength(2);
    // Ten more heartbeats' worth: still two replacements, and the worker still answers.
    await delay(1000);
    expect(replacements()).toHaveLength(2);
    expect((await get(port)).status).toBe(200);
  });

  it('kills a worker that does not listen within startTimeout and says so', async () => {
    const primary = start({
      entry: fixture('never-ready.mjs'),
      workers: 1,
      port: await freePort(),
      startTimeout: '1s',
      maxCrashes: 1,
    });
    const failed = await primary.waitForTest('ready-failed');
    expect(failed.code).toBe('KF_CRASH_LOOP');
    expect(String(failed.message)).toContain(
      'worker 0 did not start listening within 1000 ms (option "startTimeout") (killed by SIGKILL)',
    );
    expect((await primary.exit).code).toBe(1);
  });

  it('reports an entry that throws at import once for the fleet, with its own file:line and frames', async () => {
    const entry = fixture('throws-at-import.mjs');
    const primary = start({ entry, workers: 2, port: await freePort() });
    expect((await primary.exit).code).toBe(1);

    const reports = shownLogs(primary).filter((r) =>
      JSON.stringify(r).includes('DATABASE_URL is not set'),
    );
    expect(reports).toHaveLength(1);
    const report = primary.records().find((r) => String(r.msg).startsWith('fleet failed'));
    const stack = String((report?.err as { stack?: string } | undefined)?.stack);
    expect(stack).toMatch(/^Error: DATABASE_URL is not set\n/);
    expect(stack).toContain(`at readConfig (file://${entry}:3:9)`);
    expect(stack).not.toMatch(/node:internal|\/dist\//);
  });

  it('reports an ESM syntax error once, with the file and line', async () => {
    const entry = writeVersionedEntry('v1');
    breakEntry(entry);
    const primary = start({ entry, workers: 2, port: await freePort() });
    expect((await primary.exit).code).toBe(1);

    const reports = shownLogs(primary).filter((r) => JSON.stringify(r).includes('SyntaxError'));
    expect(reports).toHaveLength(1);
    expect(String(reports[0]!.msg)).toMatch(
      new RegExp(`SyntaxError: .* \\(${entry.replace(/[.]/g, '\\.')}:\\d+\\)$`),
    );
  });

  it('reports a syntax error in a module the entry imports with that file and line', async () => {
    const entry = writeVersionedEntry('v1');
    const broken = join(dirname(entry), 'lib', 'routes.mjs');
    mkdirSync(dirname(broken));
    writeFileSync(broken, 'export const routes = [\n  1,\n  2 3,\n];\n');
    writeFileSync(
      entry,
      `import { routes } from './lib/routes.mjs';\n${readFileSync(entry, 'utf8')}`,
    );
    const primary = start({ entry, workers: 1, port: await freePort() });
    expect((await primary.exit).code).toBe(1);
    const reports = shownLogs(primary).filter((r) => JSON.stringify(r).includes('SyntaxError'));
    expect(reports).toHaveLength(1);
    expect(String(reports[0]!.msg)).toContain(`(${broken}:3)`);
  });

  it('reports a taken shared port once, without Node-internal stacks', async () => {
    const port = await freePort();
    const blocker = createServer();
    servers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));

    const primary = start({ entry: fixture('hello.mjs'), workers: 2, port });
    expect((await primary.exit).code).toBe(1);
    const logged = shownLogs(primary).map((r) => JSON.stringify(r));
    expect(logged.filter((line) => line.includes('already in use'))).toHaveLength(1);
    expect(logged.filter((line) => line.includes('node:'))).toEqual([]);
  });
});
