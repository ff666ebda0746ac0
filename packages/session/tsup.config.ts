import { packageBuild } from '@koa-fleet/tooling/tsup';

// shims: the CJS build needs import.meta.url to load the optional prom-client peer lazily.
export default packageBuild({ shims: true });
