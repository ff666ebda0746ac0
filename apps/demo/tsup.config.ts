import { packageBuild } from '@koa-fleet/tooling/tsup';

// An app, not a library: ES modules for node to run, no types. app is the workers' entry,
// balancer-process the balancer's and host-process a --hosts host's primary, all forked by
// main; load is `pnpm demo:load`.
export default packageBuild({
  entry: [
    'src/main.ts',
    'src/app.ts',
    'src/balancer-process.ts',
    'src/host-process.ts',
    'src/load.ts',
  ],
  format: ['esm'],
  dts: false,
});
