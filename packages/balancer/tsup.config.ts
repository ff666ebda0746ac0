import { packageBuild } from '@koa-fleet/tooling/tsup';

// cli is the bin (bin/koa-fleet-balancer.js imports dist/cli.js), built next to index.
export default packageBuild({ entry: ['src/index.ts', 'src/cli.ts'] });
