import { packageBuild } from '@koa-fleet/tooling/tsup';

// worker-main is forked by the primary and cli is the bin, so both are built next to index.
// shims give the CJS build an import.meta.url to find its worker-main.cjs.
export default packageBuild({
  entry: ['src/index.ts', 'src/worker-main.ts', 'src/cli.ts'],
  shims: true,
});
