// @ts-check
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { defineProject, mergeConfig } from 'vitest/config';

const packagesDir = new URL('../../packages/', import.meta.url);

/**
 * `@koa-fleet/<name>` imported by a test (or by the source it loads) resolves to
 * `packages/<name>/src/index.ts`, as tRPC's vitest set-up does, so a `--filter` run or watch mode
 * needs no build and sees an edit at once. Only what runs outside vitest needs `dist/`: worker
 * processes, CLIs, fixtures run by `node`, and the tests of the built entry points, which import
 * `dist/` by path.
 */
function workspaceSources() {
  return readdirSync(packagesDir)
    .filter((name) => existsSync(new URL(`${name}/src/index.ts`, packagesDir)))
    .map((name) => ({
      find: new RegExp(`^@koa-fleet/${name}$`), // the bare name only: `/package.json` stays real
      replacement: new URL(`${name}/src/index.ts`, packagesDir).pathname,
    }));
}

/**
 * The one test set-up every workspace project shares. Tests start real processes and servers,
 * so time limits are generous; timings are never asserted.
 * @param {string} configUrl `import.meta.url` of the calling vitest.config.ts
 * @param {import('vitest/config').UserWorkspaceConfig} [overrides]
 */
export function packageTests(configUrl, overrides = {}) {
  const pkg = JSON.parse(readFileSync(new URL('./package.json', configUrl), 'utf8'));
  return mergeConfig(
    defineProject({
      resolve: { alias: workspaceSources() },
      test: {
        name: pkg.name,
        root: new URL('.', configUrl).pathname,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        testTimeout: 30_000,
        hookTimeout: 60_000,
        pool: 'forks',
        restoreMocks: true,
      },
    }),
    overrides,
  );
}
