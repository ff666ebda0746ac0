import { packageTests } from '@koa-fleet/tooling/vitest';

export default packageTests(import.meta.url);
