import { packageTests } from '@koa-fleet/tooling/vitest';

// The chaos scenarios load the machine on purpose, so they run after every other project
// (groupOrder 1) and one file at a time (a single fork): each gets the machine to itself.
export default packageTests(import.meta.url, {
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    sequence: { groupOrder: 1 },
    poolOptions: { forks: { singleFork: true } },
    globalSetup: ['./src/results/global-setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
