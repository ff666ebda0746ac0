import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnNode, stopAll } from '../src/index.js';
import { portAccepts } from '../src/internal/port-accepts.js';
import { fixture } from './fixtures.js';

// The fixture is TypeScript importing the kit's sources; tsx (vitest's own dependency) loads it.
const fromVitest = createRequire(createRequire(import.meta.url).resolve('vitest/package.json'));
const tsxLoader = pathToFileURL(
  join(dirname(fromVitest.resolve('tsx/package.json')), 'dist/loader.mjs'),
).href;

/** Gone, or a zombie waiting for init to reap it: either way no longer running. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('cleanup when the test process dies', () => {
  afterAll(stopAll);

  const expectedExit = {
    exit: { code: 3, signal: null },
    throw: { code: 1, signal: null },
    signal: { code: null, signal: 'SIGTERM' },
  } as const;

  for (const how of ['exit', 'throw', 'signal'] as const) {
    it(`leaves no servers, processes or temp dirs behind on ${how}`, async () => {
      const parent = await spawnNode(fixture('abandon-servers.ts'), {
        args: [how],
        execArgv: ['--import', tsxLoader],
        readyLine: /STARTED (.*)/,
        timeout: 100_000,
      });
      const started = JSON.parse(
        ((await parent.waitForLine(/STARTED (.*)/)) as RegExpMatchArray)[1]!,
      ) as {
        pids: number[];
        ports: number[];
        dirs: string[];
      };
      expect(started.pids.every(running)).toBe(true);
      parent.kill(how === 'signal' ? 'SIGTERM' : 'SIGUSR2');
      const exit = await parent.waitForExit({ timeout: 60_000 });
      expect(exit).toEqual(expectedExit[how]);

      await expect.poll(() => started.pids.filter(running), { timeout: 30_000 }).toEqual([]);
      for (const port of started.ports) expect(await portAccepts(port)).toBe(false);
      for (const dir of started.dirs) expect(existsSync(dir)).toBe(false);
      // tsx, redis, nginx and a node child start in the fixture: slow on a busy machine. A test
      // timing out here would SIGKILL the fixture and orphan its servers, so allow plenty.
    }, 240_000);
  }
});
