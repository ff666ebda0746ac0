import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { breakEntry, writeVersionedEntry } from './helpers/entry-files.js';
import { fixture } from './helpers/fleet.js';
import { get } from './helpers/http.js';
import { NodeProcess } from './helpers/node-process.js';
import { freePort } from './helpers/ports.js';
import { DEFAULTS } from '../src/options.js';

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
      'koa-fleet: --workers must be an integer from 1 to 1024, got 0',
    );

    const badGrace = koaFleet(['start', fixture('hello.mjs'), '--grace', 'soon']);
    expect((await badGrace.exit).code).toBe(2);
    expect(badGrace.tail()).toContain('koa-fleet: --grace must be a duration');

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

  it('names the flag or the environment variable a bad value came from, not the API option', async () => {
    const flag = koaFleet(['start', fixture('hello.mjs'), '--max-memory', 'lots']);
    expect((await flag.exit).code).toBe(2);
    expect(flag.tail()).toContain(
      'koa-fleet: --max-memory must be a size (bytes, or text such as "512mb") ≥ 1 bytes, got "lots"',
    );

    const variable = koaFleet(['start', fixture('hello.mjs')], { KOA_FLEET_WORKERS: 'abc' });
    expect((await variable.exit).code).toBe(2);
    expect(variable.tail()).toContain(
      'koa-fleet: KOA_FLEET_WORKERS must be an integer from 1 to 1024, got "abc"',
    );
    // A flag given on the command line wins over the variable, and is the one named.
    const both = koaFleet(['start', fixture('hello.mjs'), '--grace', 'soon'], {
      KOA_FLEET_GRACE: '2s',
    });
    expect((await both.exit).code).toBe(2);
    expect(both.tail()).toContain('koa-fleet: --grace must be a duration');
    for (const p of [flag, variable, both]) expect(p.tail()).not.toMatch(/option "\w+"/);
  });

  it('rejects a maxMemory below what a bare Node process needs, naming the minimum', async () => {
    const tiny = koaFleet(['start', fixture('hello.mjs'), '--max-memory', '1kb']);
    expect((await tiny.exit).code).toBe(2);
    expect(tiny.tail()).toContain('koa-fleet: --max-memory must be at least 32mb');
  });

  it.each(['false', '0', '', 'Off', 'NO'])(
    'reads KOA_FLEET_PER_WORKER_PORTS=%j as off',
    async (value) => {
      // Per-worker ports refuse port 0, so the fleet only starts if the variable turned them off.
      const primary = koaFleet(['start', fixture('hello.mjs'), '-w', '1', '-p', '0'], {
        KOA_FLEET_HOST: '127.0.0.1',
        KOA_FLEET_PER_WORKER_PORTS: value,
      });
      await primary.waitFor(fleetReady);
      primary.child.kill('SIGTERM');
      expect((await primary.exit).code).toBe(0);
    },
  );

  it('reads KOA_FLEET_PER_WORKER_PORTS=yes as on and rejects a value that is not a boolean', async () => {
    const on = koaFleet(['start', fixture('hello.mjs'), '-p', '0'], {
      KOA_FLEET_PER_WORKER_PORTS: 'yes',
    });
    expect((await on.exit).code).toBe(2);
    expect(on.tail()).toContain('koa-fleet: --port must be a fixed port (not 0)');

    const bad = koaFleet(['start', fixture('hello.mjs')], { KOA_FLEET_PER_WORKER_PORTS: 'maybe' });
    expect((await bad.exit).code).toBe(2);
    expect(bad.tail()).toContain(
      'koa-fleet: KOA_FLEET_PER_WORKER_PORTS must be 1, true, yes or on, or 0, false, no, off or empty, got "maybe"',
    );
  });

  it('refuses an unusable --pid-file with exit 2 before any worker forks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-'));
    const file = join(dir, 'file.txt');
    writeFileSync(file, 'not a directory\n');
    const underFile = koaFleet(['start', fixture('hello.mjs'), '--pid-file', `${file}/app.pid`]);
    expect((await underFile.exit).code).toBe(2);
    expect(underFile.tail()).toContain(
      `koa-fleet: --pid-file ${file}/app.pid: ${file} is not a directory`,
    );

    const missing = join(dir, 'missing', 'app.pid');
    const fromEnv = koaFleet(['start', fixture('hello.mjs')], { KOA_FLEET_PID_FILE: missing });
    expect((await fromEnv.exit).code).toBe(2);
    expect(fromEnv.tail()).toContain(
      `koa-fleet: --pid-file ${missing} (from KOA_FLEET_PID_FILE): directory ${join(dir, 'missing')} does not exist`,
    );
    for (const p of [underFile, fromEnv]) {
      expect(p.records().some((r) => String(r.msg).includes('starting'))).toBe(false);
    }
  });

  it('refuses a pid file held by a running primary with exit 2, and the first fleet keeps serving', async () => {
    const port = await freePort();
    const pidFile = pidFileIn();
    const args = ['start', fixture('hello.mjs'), '-w', '1', '-p', String(port), '-H', '127.0.0.1'];
    const first = koaFleet([...args, '--pid-file', pidFile]);
    await first.waitFor(fleetReady);

    const second = koaFleet([...args, '--pid-file', pidFile]);
    expect((await second.exit).code).toBe(2);
    expect(second.tail()).toContain(
      `koa-fleet: --pid-file ${pidFile}: names primary ${first.pid}, which is still running`,
    );
    expect(second.records().some((r) => String(r.msg).includes('starting'))).toBe(false);
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(String(first.pid));
    expect((await get(port)).status).toBe(200);
  });

  it('prints its version with --version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const run = koaFleet(['--version']);
    expect((await run.exit).code).toBe(0);
    expect(run.lines).toEqual([pkg.version]);
  });

  it('shows the defaults of the options module in start --help', async () => {
    const help = koaFleet(['start', '--help']);
    expect((await help.exit).code).toBe(0);
    // One entry per option: its first line starts with "  -", wrapped lines are indented more.
    const entries = help.lines
      .join('\n')
      .split(/\n(?= {2}-)/)
      .map((entry) => entry.replace(/\s+/g, ' ').trim());
    const described = (flag: string) => entries.find((e) => e.includes(`${flag} `)) ?? '';
    expect(described('--workers')).toContain(
      '(default: the cgroup CPU quota rounded up, else available cores)',
    );
    expect(described('--port')).toContain(`(default: ${DEFAULTS.port})`);
    expect(described('--host')).toContain(`(default: ${DEFAULTS.host})`);
    expect(described('--grace')).toContain(`(default: ${DEFAULTS.grace})`);
    expect(described('--drain-window')).toContain(`(default: ${DEFAULTS.drainWindow})`);
    expect(described('--shutdown-delay')).toContain(`(default: ${DEFAULTS.shutdownDelay})`);
    expect(described('--start-timeout')).toContain(`(default: ${DEFAULTS.startTimeout})`);
    expect(described('--heartbeat-timeout')).toContain(`(default: ${DEFAULTS.heartbeatTimeout})`);
    expect(described('--log-level')).toContain(`(default: ${DEFAULTS.logLevel})`);
    expect([DEFAULTS.grace, DEFAULTS.drainWindow, DEFAULTS.startTimeout]).toEqual([
      '10s',
      '1s',
      '30s',
    ]);
  });
});
