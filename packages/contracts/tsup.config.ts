import { packageBuild } from '@koa-fleet/tooling/tsup';

export default packageBuild();
