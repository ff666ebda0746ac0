// @ts-check
import { defineConfig } from 'tsup';

/**
 * The one build every publishable package shares: ESM + CJS + .d.ts/.d.cts for Node 20.
 * A package's tsup.config.ts is `export default packageBuild()` plus its extra entries.
 * @param {import('tsup').Options} [overrides]
 */
export function packageBuild(overrides = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: true,
    ...overrides,
  });
}
