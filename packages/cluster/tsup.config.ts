import { packageBuild } from '@koa-fleet/tooling/tsup';

// worker-main is forked by the primary and cli is the bin, so both are built next to index.
// shims give the CJS build an import.meta.url to find its worker-main.cjs.
// clean: false — the entry names are fixed, and tests (ours and other packages') run primaries
// from dist while a parallel build may be rewriting it; cleaning would delete it under them.
export default packageBuild({
  entry: ['src/index.ts', 'src/worker-main.ts', 'src/cli.ts'],
  shims: true,
  clean: false,
});
