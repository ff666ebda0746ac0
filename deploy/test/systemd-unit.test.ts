import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, httpRequest, readReadme, runLoad, stopAll } from '@koa-fleet/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { runDocBlock } from './support/doc-commands.js';
import { fleetStopBoundMs } from './support/fleet-defaults.js';
import { sh } from './support/shell.js';
import { unitEnvironment } from './support/systemd-unit.js';
import { UnitRunner, seconds } from './support/unit-runner.js';

const unitFile = fileURLToPath(new URL('../systemd/koa-fleet@.service', import.meta.url));
const docs = readReadme(new URL('../../docs/deploy.md', import.meta.url));
const READY = /fleet ready: 2\/2 workers/;
const hasVerify = existsSync('/usr/bin/systemd-analyze') || process.env.CI === 'true';

const roots: string[] = [];
/** A directory standing for `/` of the VM (its /srv, /etc and /run). */
function vmRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'kf-vm-'));
  roots.push(root);
  mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
  mkdirSync(join(root, 'srv/releases'), { recursive: true });
  return root;
}

afterAll(async () => {
  await stopAll();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('deploy/systemd/koa-fleet@.service', () => {
  // Skipped where systemd is not installed, except in CI, which has it.
  it.runIf(hasVerify)(
    'passes systemd-analyze verify without a warning, which does warn of a mistake',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kf-verify-'));
      roots.push(dir);
      // verify checks that ExecStart's program exists: this machine's node if not at /usr/bin.
      const unit = readFileSync(unitFile, 'utf8');
      const node = existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath;
      writeFileSync(join(dir, 'koa-fleet@.service'), unit.replaceAll('/usr/bin/node', node));
      const verify = await sh(`systemd-analyze verify ${dir}/koa-fleet@web.service`, { cwd: dir });
      expect(verify).toMatchObject({ code: 0, stderr: '', stdout: '' });
      // The same check of a copy with a misspelt key: an empty answer above means something.
      const misspelt = unit.replaceAll('/usr/bin/node', node).replace('KillMode=', 'KilMode=');
      writeFileSync(join(dir, 'misspelt@.service'), misspelt);
      const warned = await sh(`systemd-analyze verify ${dir}/misspelt@web.service`, { cwd: dir });
      expect(warned.stderr).toContain("Unknown key 'KilMode' in section [Service]");
    },
  );

  it('stops gracefully, within a timeout above the fleet stop bound (shutdownDelay + grace + kill margin)', () => {
    const { unit } = new UnitRunner(unitFile, 'web', vmRoot());
    const environment = unitEnvironment(unit);
    const bound = fleetStopBoundMs(new Map(Object.entries(environment)));
    console.log(
      `systemd: TimeoutStopSec ${unit.get('Service', 'TimeoutStopSec')}, fleet gone within ${bound} ms`,
    );
    expect(environment).toMatchObject({ KOA_FLEET_GRACE: '10s', KOA_FLEET_DRAIN_WINDOW: '1s' });
    expect(seconds(unit.get('Service', 'TimeoutStopSec'))).toBeGreaterThan(bound);
    expect(unit.get('Service', 'KillSignal')).toBe('SIGTERM');
    expect(unit.get('Service', 'KillMode')).toBe('mixed');
    expect(unit.get('Service', 'Type')).toBe('exec');
    expect(unit.get('Service', 'Restart')).toBe('on-failure');
  });

  it('runs as an unprivileged user in a sandbox that still lets V8 compile', () => {
    const { unit } = new UnitRunner(unitFile, 'web', vmRoot());
    expect(unit.get('Service', 'User')).not.toMatch(/^(root|0)$/);
    expect(unit.get('Service', 'NoNewPrivileges')).toBe('yes');
    expect(unit.get('Service', 'ProtectSystem')).toBe('strict');
    expect(unit.get('Service', 'CapabilityBoundingSet')).toBe('');
    expect(unit.all('Service', 'MemoryDenyWriteExecute')).toEqual([]);
    // The control socket is a unix socket: AF_UNIX must stay allowed.
    expect(unit.get('Service', 'RestrictAddressFamilies').split(' ')).toContain('AF_UNIX');
  });

  it("runs the docs' commands: release, install, start, reload under load, stop", async () => {
    const root = vmRoot();
    const runner = new UnitRunner(unitFile, 'web', root);
    const port = await freePort();
    mkdirSync(join(root, 'etc/koa-fleet'), { recursive: true });
    // The host's settings: loopback only, a free port, two workers whatever the cores.
    writeFileSync(
      join(root, 'etc/koa-fleet/web.env'),
      `KOA_FLEET_HOST=127.0.0.1\nKOA_FLEET_PORT=${port}\nKOA_FLEET_WORKERS=2\n`,
    );
    const url = `http://127.0.0.1:${port}/`;
    const run = (name: string) => runDocBlock(docs.block(name), runner, 'koa-fleet@web', READY);

    expect(await run('systemd-release')).toMatchObject({ code: 0 });
    const install = await run('systemd-install');
    expect(install).toMatchObject({ code: 0 });
    expect(install.skipped).toEqual([expect.stringMatching(/^sudo useradd /)]);
    expect(existsSync(join(root, 'etc/systemd/system/koa-fleet@.service'))).toBe(true);
    expect((await httpRequest(`${url}livez`)).status).toBe(200);
    expect((await httpRequest(url)).json()).toMatchObject({ version: '0.0.0', generation: 1 });

    // Release 2 is the same build with a new version, as the next CI build would be.
    // The block's first line deploys; then, as a new build would, the release gets a version.
    const release2 = docs.block('systemd-deploy');
    const bump = `sed -i 's/"version": "0.0.0"/"version": "2.0.0"/' ${root}/srv/releases/web-2/package.json`;
    const [deployLine, ...rest] = release2.trim().split('\n');
    expect((await runDocBlock(deployLine!, runner, 'koa-fleet@web', READY)).code).toBe(0);
    expect((await sh(bump)).code).toBe(0);
    const load = runLoad({ url, connections: 8, duration: 6 });
    const reload = await runDocBlock(rest.join('\n'), runner, 'koa-fleet@web', READY);
    const during = await load;
    console.log(
      `systemd reload under load: ${during.requests} requests, ${during.errors} errors, ` +
        `${during.non2xx} non-2xx, reload exit ${reload.code}`,
    );
    expect(reload.code).toBe(0);
    expect(during.requests).toBeGreaterThan(0);
    expect({ errors: during.errors, non2xx: during.non2xx, timeouts: during.timeouts }).toEqual({
      errors: 0,
      non2xx: 0,
      timeouts: 0,
    });
    const after = await Promise.all([1, 2, 3, 4, 5, 6].map(() => httpRequest(url)));
    expect(new Set(after.map((reply) => reply.json().version))).toEqual(new Set(['2.0.0']));

    // Release 3 cannot start: the reload fails, like `systemctl reload`, and release 2 serves.
    const broken = docs.block('systemd-deploy').replace(/web-2/g, 'web-3');
    const [brokenDeploy, ...brokenRest] = broken.trim().split('\n');
    expect((await runDocBlock(brokenDeploy!, runner, 'koa-fleet@web', READY)).code).toBe(0);
    writeFileSync(
      join(root, 'srv/releases/web-3/dist/app.js'),
      'throw new Error("bad release");\n',
    );
    const failed = await runDocBlock(brokenRest.join('\n'), runner, 'koa-fleet@web', READY);
    console.log(`systemd reload of a release that cannot start: exit ${failed.code}`);
    expect(failed.code).toBe(1);
    const still = await Promise.all([1, 2, 3, 4].map(() => httpRequest(url)));
    expect(still.map((reply) => [reply.status, reply.json().version])).toEqual(
      still.map(() => [200, '2.0.0']),
    );

    const stop = await runner.stop();
    console.log(`systemd stop: exit ${stop.code} (${stop.signal ?? 'no signal'})`);
    expect(stop).toEqual({ code: 0, signal: null });
    expect(existsSync(join(root, 'run/koa-fleet/web/fleet.pid'))).toBe(false);
  }, 240_000);

  it('exits 2 on a bad option, the exit status Restart= does not retry', async () => {
    const root = vmRoot();
    const runner = new UnitRunner(unitFile, 'web', root);
    expect(runner.unit.get('Service', 'RestartPreventExitStatus')).toBe('2');
    expect((await runDocBlock(docs.block('systemd-release'), runner, 'x', READY)).code).toBe(0);
    await runner.start(undefined, { KOA_FLEET_WORKERS: '0' });
    expect(await runner.main.waitForExit()).toEqual({ code: 2, signal: null });
    expect(runner.main.stderr()).toContain('KOA_FLEET_WORKERS must be an integer from 1 to 1024');
  }, 120_000);
});
