import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  httpRequest,
  mismatchWithSample,
  readReadme,
  spawnNode,
  startRedis,
  stopAll,
} from '@koa-fleet/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { demoArgs, demoMain, demoPorts, type DemoPorts } from './support/demo-process.js';
import { startShell, type ShellProcess } from './support/shell-process.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const readme = readReadme(join(repo, 'README.md'));
const [demoLine, testLine] = readme
  .block('try-it')
  .split('\n')
  .map((line) => line.replace(/\s+#.*$/, '').trim())
  .filter(Boolean);

/** The environment that moves every port of the demo: its flags read these variables. */
function portEnv(ports: DemoPorts, workers = 2): Record<string, string> {
  return {
    PORT: String(ports.port),
    ADMIN_PORT: String(ports.adminPort),
    FLEET_PORT: String(ports.fleetPort),
    WORKERS: String(workers),
  };
}

/** A README text with the ports the test used in place of the README's defaults. */
function withPorts(text: string, ports: DemoPorts): string {
  return text
    .replaceAll('8080', String(ports.port))
    .replaceAll('9090', String(ports.adminPort))
    .replaceAll('3001', String(ports.fleetPort))
    .replaceAll('3002', String(ports.fleetPort + 1));
}

/** The lines of `output` from the first matching `from` to the next matching `to`. */
function section(output: string, from: RegExp, to: RegExp): string {
  const lines = output.split('\n');
  const start = lines.findIndex((line) => from.test(line));
  const end = lines.findIndex((line, i) => i > start && to.test(line));
  return lines.slice(start, end + 1).join('\n');
}

/** What a fresh clone holds: the tracked files (as they are now), nothing built or installed. */
function freshClone(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kf-clone-'));
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: repo, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    try {
      copyFileSync(join(repo, file), join(dir, file));
    } catch {
      // deleted in the working tree, not yet committed
    }
  }
  return dir;
}

const shells: ShellProcess[] = [];
afterAll(() => shells.forEach((shell) => shell.kill()));

describe('the root README, on a fresh clone', () => {
  const clones: string[] = [];
  afterAll(async () => {
    await stopAll();
    for (const dir of clones) rmSync(dir, { recursive: true, force: true });
    readme.expectEveryBlockUsed();
  });

  it('runs the demo with its first command, without warnings, and Ctrl-C ends it cleanly', async () => {
    expect(demoLine).toBe('bash scripts/bootstrap.sh && pnpm demo');
    const clone = freshClone();
    clones.push(clone);
    const ports = await demoPorts(2);
    const demo = startShell(demoLine!, clone, portEnv(ports));
    shells.push(demo);
    await demo.waitFor('koa-fleet demo ready', 600_000);
    const ready = await httpRequest(`http://127.0.0.1:${ports.port}/readyz`);
    expect(ready.status).toBe(200);
    expect(demo.output()).not.toMatch(/WARN/);
    const code = await demo.interrupt();
    expect(code, `exit code ${code}; the demo printed:\n${demo.output()}`).toBe(0);
    expect(demo.output()).toContain('fleet stopped (exit code 0)');
    expect(demo.output()).not.toMatch(/ERR_PNPM|ELIFECYCLE|Command failed/);
  }, 700_000);

  it('its second command is what CI runs: .ci/run bootstraps, then runs pnpm test', () => {
    expect(testLine).toBe('bash scripts/bootstrap.sh && pnpm test');
    const ci = readFileSync(join(repo, '.ci/run'), 'utf8');
    const steps = ci.split('\n').map((line) => line.trim());
    const bootstrap = steps.indexOf('bash scripts/bootstrap.sh');
    const test = steps.findIndex((line) => line.startsWith('pnpm test '));
    expect(bootstrap).toBeGreaterThanOrEqual(0);
    expect(test).toBeGreaterThan(bootstrap);
  });
});

describe("the demo's README, run in this repository", () => {
  const demoReadme = readReadme(new URL('../README.md', import.meta.url));
  afterAll(async () => {
    await stopAll();
    demoReadme.expectEveryBlockUsed();
  });

  it('pnpm demo prints the banner, answers the curl examples and the load as shown, and stops on Ctrl-C', async () => {
    const ports = await demoPorts(2);
    const demo = startShell(demoReadme.block('run').trim(), repo, portEnv(ports));
    shells.push(demo);
    await demo.waitFor('stop        Ctrl-C');
    const banner = section(demo.output(), /^koa-fleet demo ready/, /^ +stop +Ctrl-C/);
    expect(mismatchWithSample(banner, withPorts(demoReadme.block('run-output'), ports))).toBe(
      undefined,
    );

    const folder = mkdtempSync(join(tmpdir(), 'kf-demo-curl-')); // for the cookie jar
    const curl = execFileSync('bash', ['-c', withPorts(demoReadme.block('curl'), ports)], {
      cwd: folder,
      encoding: 'utf8',
    });
    rmSync(folder, { recursive: true, force: true });
    expect(mismatchWithSample(curl, withPorts(demoReadme.block('curl-output'), ports))).toBe(
      undefined,
    );

    // The README's load, one second long, at this test's ports.
    const command = demoReadme.block('load').trim().replace('--duration 5', '--duration 1');
    const load = startShell(
      `${command} --url http://127.0.0.1:${ports.port} --admin-url http://127.0.0.1:${ports.adminPort}`,
      repo,
      {},
    );
    shells.push(load);
    expect(await load.exited).toBe(0);
    const report = section(load.output(), / requests answered by /, /^latency:/);
    const sample = withPorts(demoReadme.block('load-output'), ports).replace('in 5 s', 'in 1 s');
    expect(mismatchWithSample(report, sample)).toBe(undefined);

    expect(await demo.interrupt()).toBe(0);
    expect(demo.output()).toContain('fleet stopped (exit code 0)');
  }, 300_000);

  it('takes its flags, and REDIS_URL for sessions in Redis', async () => {
    const ports = await demoPorts(3);
    const flags = demoReadme.block('run-flags').trim().replace('8090', String(ports.port));
    const three = startShell(flags, repo, { ...portEnv(ports), WORKERS: '' });
    shells.push(three);
    await three.waitFor('stop        Ctrl-C');
    expect(three.output()).toMatch(/slot 2 +pid \d+ +:\d+ +weight 1/);
    expect(await three.interrupt()).toBe(0);

    const redis = await startRedis();
    const inRedis = startShell(
      demoReadme.block('run-redis').trim().replace('redis://127.0.0.1:6379', redis.url),
      repo,
      portEnv(await demoPorts(2)),
    );
    shells.push(inRedis);
    await inRedis.waitFor('stop        Ctrl-C');
    expect(inRedis.output()).toContain(`sessions in Redis at ${redis.url}`);
    expect(await inRedis.interrupt()).toBe(0);
  }, 300_000);

  it('runs two hosts behind the balancer with Redis, and says how to start one without', async () => {
    const ports = await demoPorts(2, 2);
    const redis = await startRedis();
    const hosts = startShell(
      demoReadme.block('run-hosts').trim().replace('redis://127.0.0.1:6379', redis.url),
      repo,
      portEnv(ports),
    );
    shells.push(hosts);
    await hosts.waitFor('stop        Ctrl-C');
    expect(hosts.output()).toMatch(/host-1 +pid \d+ +a host/);
    expect(hosts.output()).toContain(`host-2      pid`);
    expect(hosts.output()).toContain(`:${ports.fleetPort + 101}  weight 1`);
    expect(await hosts.interrupt()).toBe(0);

    const demo = await spawnNode(demoMain, {
      args: [...demoArgs(ports, 2), '--hosts', '2'],
      env: { REDIS_URL: '' },
    });
    expect((await demo.waitForExit()).code).toBe(2);
    expect(demo.stderr()).toBe(demoReadme.block('hosts-no-redis'));
  }, 300_000);

  it('says which port is taken and which flag moves it', async () => {
    const ports = await demoPorts(2);
    const holder = createServer().listen(ports.port, '127.0.0.1');
    await new Promise((resolve) => holder.once('listening', resolve));
    try {
      const demo = await spawnNode(demoMain, { args: demoArgs(ports, 2) });
      expect((await demo.waitForExit()).code).toBe(2);
      expect(demo.stderr()).toBe(withPorts(demoReadme.block('port-taken'), ports));
    } finally {
      holder.close();
    }
  });
});
