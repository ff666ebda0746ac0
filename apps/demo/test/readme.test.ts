import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, httpRequest, readReadme, stopAll } from '@koa-fleet/testkit';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const readme = readReadme(join(repo, 'README.md'));
const [demoLine, testLine] = readme
  .block('try-it')
  .split('\n')
  .map((line) => line.replace(/\s+#.*$/, '').trim())
  .filter(Boolean);

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
    const port = await freePort();
    // A terminal's Ctrl-C signals the whole foreground group: bash, pnpm, turbo, node.
    const child = spawn('bash', ['-c', demoLine!], {
      cwd: clone,
      detached: true,
      env: { ...process.env, PORT: String(port), WORKERS: '2', CI: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    try {
      for (let i = 0; !output.includes('workers ready at'); i++) {
        if (child.exitCode !== null || i > 2400)
          throw new Error(`the demo did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const ready = await httpRequest(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(output).not.toMatch(/WARN/);
      process.kill(-child.pid!, 'SIGINT');
      const code = await exited;
      expect(code, `exit code ${code}; the demo printed:\n${output}`).toBe(0);
      expect(output).toContain('fleet stopped (exit code 0)');
      expect(output).not.toMatch(/ERR_PNPM|ELIFECYCLE|Command failed/);
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
  }, 600_000);

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
