import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import dockerignore from '@balena/dockerignore';
import { freePort, httpRequest, readReadme, spawnNode, stopAll } from '@koa-fleet/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { execForm, flag, readDockerfile } from './support/dockerfile.js';
import { repoRoot, sh, shellWords } from './support/shell.js';

const dockerfilePath = fileURLToPath(new URL('../Dockerfile', import.meta.url));
const [build, final, ...more] = readDockerfile(dockerfilePath);
const docs = readReadme(new URL('../../docs/deploy.md', import.meta.url));
const readJson = (path: string) =>
  JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, string> | string>;

/** The build stage's `pnpm … deploy --prod … <dir>`: the pruned tree the image is made of. */
const deployRun = build!
  .all('RUN')
  .map((run) => run.getArgumentsContent() ?? '')
  .find((command) => /^pnpm .*\bdeploy\b.*--prod\b/.test(command));
const deployTarget = deployRun?.split(/\s+/).at(-1);

const dirs: string[] = [];
afterAll(async () => {
  await stopAll();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('deploy/Dockerfile', () => {
  it('builds in two stages on Node 20 slim', () => {
    expect(more).toEqual([]);
    expect([build!.image, final!.image]).toEqual(['node:20-slim', 'node:20-slim']);
    expect(build!.name).toBe('build');
    expect(docs.block('image-build')).toContain('docker build -f deploy/Dockerfile');
  });

  it('installs the pnpm that package.json pins, from the lockfile', () => {
    const pinned = String(readJson(join(repoRoot, 'package.json')).packageManager);
    const arg = build!.all('ARG').map((a) => a.getArgumentsContent());
    expect(arg).toContain(`PNPM_VERSION=${pinned.replace(/^pnpm@/, '')}`);
    const runs = build!.all('RUN').map((run) => run.getArgumentsContent());
    expect(runs).toContain('pnpm install --frozen-lockfile --offline');
    expect(deployRun).toBe('pnpm --filter @koa-fleet/example-app deploy --prod --legacy /app');
  });

  it('makes the final stage of the pruned tree only: nothing installed, no dev dependency', () => {
    // No RUN at all: no package manager, no compiler, nothing fetched in the image itself.
    expect(final!.all('RUN')).toEqual([]);
    const copies = final!.all('COPY').map((copy) => ({
      from: flag(copy, 'from'),
      source: copy.getArgumentsContent()?.split(/\s+/)[0],
    }));
    expect(copies).toEqual([{ from: 'build', source: deployTarget }]);
    expect(final!.last('WORKDIR').getArgumentsContent()).toBe(deployTarget);
  });

  it('runs as a non-root user, koa-fleet start as PID 1 in exec form, on the exposed port', () => {
    const user = final!.last('USER').getArgumentsContent();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    const order = final!.instructions.map((instruction) => instruction.getKeyword());
    expect(order.indexOf('USER')).toBeLessThan(order.indexOf('CMD'));
    expect(final!.all('ENTRYPOINT')).toEqual([]);
    const cmd = execForm(final!.last('CMD'));
    expect(cmd).toEqual([
      'node',
      'node_modules/@koa-fleet/cluster/bin/koa-fleet.js',
      'start',
      'dist/app.js',
    ]);
    expect(final!.last('STOPSIGNAL').getArgumentsContent()).toBe('SIGTERM');
    // The CLI's default port, as no KOA_FLEET_PORT is set in the image.
    expect(final!.last('EXPOSE').getArgumentsContent()).toBe('3000');
    expect(final!.all('ENV').map((env) => env.getArgumentsContent())).toEqual([
      'NODE_ENV=production',
    ]);
  });

  it('checks health with node fetch on /livez (no curl in slim)', () => {
    const check = final!.last('HEALTHCHECK');
    const command = (check.getArgumentsContent() ?? '').replace(/^CMD\s+/, '');
    const argv = JSON.parse(command) as string[];
    expect(argv.slice(0, 2)).toEqual(['node', '-e']);
    expect(argv[2]).toContain('/livez');
    expect(flag(check, 'interval')).toBe('10s');
  });

  it('is built from a context without host builds, with every source it needs', () => {
    const rules = readFileSync(join(repoRoot, '.dockerignore'), 'utf8');
    // A CommonJS module whose types name its export `default` (it sets that one too).
    const ignored = dockerignore.default().add(rules);
    const tracked = execFileSync('git', ['ls-files'], { cwd: repoRoot, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    const sent = ignored.filter(tracked);
    for (const needed of [
      'pnpm-lock.yaml',
      'pnpm-workspace.yaml',
      '.npmrc',
      'package.json',
      'turbo.json',
      'tsconfig.base.json',
      'packages/cluster/src/index.ts',
      'packages/cluster/bin/koa-fleet.js',
      'deploy/example-app/src/app.ts',
      'tooling/config/tsup.js',
    ]) {
      expect(sent).toContain(needed);
    }
    for (const hostBuilt of [
      'node_modules/.modules.yaml',
      'packages/cluster/node_modules/koa/package.json',
      'packages/cluster/dist/cli.js',
      'deploy/example-app/dist/app.js',
      '.git/HEAD',
      'packages/cluster/.turbo/turbo-build.log',
    ]) {
      expect(ignored.ignores(hostBuilt)).toBe(true);
    }
    console.log(`image context: ${sent.length} of ${tracked.length} tracked files`);
  });

  it('serves from the pruned tree: the CMD answers /livez, passes HEALTHCHECK, exits 0 on SIGTERM', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kf-image-'));
    dirs.push(out);
    const app = join(out, 'app');
    // The build stage's own command, into a directory of this test instead of /app.
    const deployed = await sh(deployRun!.replace(/\s\S+$/, ` ${app}`), { timeout: 180_000 });
    expect(deployed.code, deployed.stderr).toBe(0);

    const appPackage = readJson(join(repoRoot, 'deploy/example-app/package.json'));
    const devDependencies = Object.keys(appPackage.devDependencies as Record<string, string>);
    const installed = readdirSync(join(app, 'node_modules/.pnpm'));
    const dev = [...devDependencies, 'typescript', 'tsup', 'vitest', 'turbo', 'eslint'].filter(
      (name) => installed.some((entry) => entry.startsWith(`${name.replace('/', '+')}@`)),
    );
    console.log(
      `image tree: ${installed.length} packages, dev dependencies among them: ${dev.length}`,
    );
    expect(dev).toEqual([]);
    expect(existsSync(join(app, 'dist/app.js'))).toBe(true);
    expect(existsSync(join(app, 'src'))).toBe(false); // only the package's "files"

    const [node, script, ...args] = execForm(final!.last('CMD'))!;
    expect(node).toBe('node');
    const port = await freePort();
    // The image's ENV, and loopback on a free port instead of the container's 0.0.0.0:3000.
    const env = {
      NODE_ENV: 'production',
      KOA_FLEET_HOST: '127.0.0.1',
      KOA_FLEET_PORT: String(port),
    };
    const fleet = await spawnNode(script!, { args, cwd: app, env, readyLine: /fleet ready/ });
    const livez = await httpRequest(`http://127.0.0.1:${port}/livez`);
    expect(livez.status).toBe(200);

    const check = final!
      .last('HEALTHCHECK')
      .getArgumentsContent()!
      .replace(/^CMD\s+/, '');
    const [, ...checkArgs] = JSON.parse(check) as string[];
    const healthcheck = shellWords([process.execPath, ...checkArgs]);
    const healthy = await sh(healthcheck, { cwd: app, env });
    expect(healthy.code).toBe(0);

    process.kill(fleet.pid, 'SIGTERM'); // docker stop signals PID 1 alone
    const exit = await fleet.waitForExit({ timeout: 30_000 });
    const workers = fleet.output().match(/fleet ready: (\d+)\/(\d+) workers/);
    console.log(
      `image CMD: ${workers?.[1]}/${workers?.[2]} workers ready, /livez ${livez.status}, ` +
        `HEALTHCHECK exit ${healthy.code}, SIGTERM exit ${exit.code}`,
    );
    expect(exit).toEqual({ code: 0, signal: null });
    // Down, the same check fails: it does look at the server.
    expect((await sh(healthcheck, { cwd: app, env })).code).toBe(1);
  }, 240_000);
});
