import { packageBuild } from '@koa-fleet/tooling/tsup';

// An app, not a library: ES modules for node to run, no types. app is the workers' entry and
// balancer-process the balancer's, both forked by main; load is `pnpm demo:load`.
export default packageBuild({
  entry: ['src/main.ts', 'src/app.ts', 'src/balancer-process.ts', 'src/load.ts'],
  format: ['esm'],
  dts: false,
});
