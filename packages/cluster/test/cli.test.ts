import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { breakEntry, writeVersionedEntry } from './helpers/entry-files.js';
import { fixture } from './helpers/fleet.js';
import { get } from './helpers/http.js';
import { NodeProcess } from './helpers/node-process.js';
import { freePort } from './helpers/ports.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const running: NodeProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

function koaFleet(args: string[], env: NodeJS.ProcessEnv = {}): NodeProcess {
  const child = new NodeProcess([cli, ...args], { env });
  running.push(child);
  return child;
}

const pidFileIn = () => join(mkdtempSync(join(tmpdir(), 'kf-')), 'fleet.pid');
const fleetReady = (_line: string, json: Record<string, unknown> | undefined) =>
  String(json?.msg).startsWith('fleet ready');

describe('koa-fleet CLI', () => {
  it('starts, reloads (answering with the result) and stops a fleet through its pid file', async () => {
    const port = await freePort();
    const pidFile = pidFileIn();
    const entry = writeVersionedEntry('v1');
    const primary = koaFleet([
      'start',
      entry,
      '--workers',
      '2',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--pid-file',
      pidFile,
    ]);
    await primary.waitFor(fleetReady);
    expect(existsSync(pidFile)).toBe(true);
    expect((await get(port)).json().version).toBe('v1');

    writeVersionedEntry('v2', entry);
    const reload = koaFleet(['reload', '--pid-file', pidFile]);
    expect((await reload.exit).code).toBe(0);
    expect(reload.lines).toContain(`reloaded primary ${primary.pid}`);
    expect((await get(port)).json().version).toBe('v2');

    const stop = koaFleet(['stop', '--pid-file', pidFile]);
    expect((await stop.exit).code).toBe(0);
    expect((await primary.exit).code).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
  });

  it('exits 1 from reload when the new code cannot start, and the fleet keeps serving', async () => {
    const port = await freePort();
    const pidFile = pidFileIn();
    const entry = writeVersionedEntry('v1');
    const primary = koaFleet([
      'start',
      entry,
      '-w',
      '1',
      '-p',
      String(port),
      '-H',
      '127.0.0.1',
      '--pid-file',
      pidFile,
    ]);
    await primary.waitFor(fleetReady);

    breakEntry(entry);
    const reload = koaFleet(['reload', '--pid-file', pidFile]);
    expect((await reload.exit).code).toBe(1);
    expect(reload.tail()).toMatch(/reload failed: reload aborted at worker 0: .*SyntaxError/);
    expect((await get(port)).json().version).toBe('v1');
  });

  it('reads its options from KOA_FLEET_* environment variables', async () => {
    const port = await freePort();
    const primary = koaFleet(['start', fixture('hello.mjs')], {
      KOA_FLEET_WORKERS: '1',
      KOA_FLEET_PORT: String(port),
      KOA_FLEET_HOST: '127.0.0.1',
      KOA_FLEET_GRACE: '2s',
    });
    const ready = await primary.waitFor(fleetReady);
    expect(ready.pids).toHaveLength(1);
    expect((await get(port)).status).toBe(200);
    primary.child.kill('SIGTERM');
    expect((await primary.exit).code).toBe(0);
  });

  it('names the bad option and exits 2', async () => {
    const badWorkers = koaFleet(['start', fixture('hello.mjs'), '--workers', '0']);
    expect((await badWorkers.exit).code).toBe(2);
    expect(badWorkers.tail()).toContain(
      'koa-fleet: option "workers" must be an integer from 1 to 1024, got 0',
    );

    const badGrace = koaFleet(['start', fixture('hello.mjs'), '--grace', 'soon']);
    expect((await badGrace.exit).code).toBe(2);
    expect(badGrace.tail()).toContain('option "grace" must be a duration');

    const missing = koaFleet(['start', 'no/such/entry.mjs']);
    expect((await missing.exit).code).toBe(2);
    expect(missing.tail()).toContain(
      'option "entry" must be the path of an existing module file, got "no/such/entry.mjs"',
    );
  });

  it('exits 1 with the real error when the entry exports no app', async () => {
    const primary = koaFleet([
      'start',
      fixture('no-app.mjs'),
      '-w',
      '1',
      '-p',
      String(await freePort()),
      '-H',
      '127.0.0.1',
    ]);
    expect((await primary.exit).code).toBe(1);
    expect(primary.tail()).toMatch(
      /fleet failed: worker 0 failed to start: entry .*no-app.mjs must export a Koa app/,
    );
  });

  it('documents every flag in --help', async () => {
    const help = koaFleet(['start', '--help']);
    expect((await help.exit).code).toBe(0);
    const text = help.lines.join('\n');
    for (const flag of [
      '--workers',
      '--port',
      '--host',
      '--per-worker-ports',
      '--grace',
      '--max-memory',
      '--pid-file',
    ]) {
      expect(text).toContain(flag);
    }
  });
});
