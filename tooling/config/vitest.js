// @ts-check
import { readFileSync } from 'node:fs';
import { defineProject, mergeConfig } from 'vitest/config';

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
