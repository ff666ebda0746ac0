import { defineConfig } from 'vitest/config';

// One vitest project per workspace package; `pnpm --filter <pkg> test` runs one of them alone.
export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'apps/*/vitest.config.ts',
      'tooling/*/vitest.config.ts',
      'deploy/vitest.config.ts',
    ],
  },
});
