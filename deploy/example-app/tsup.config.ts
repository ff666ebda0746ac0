import { packageBuild } from '@koa-fleet/tooling/tsup';

// An app, not a library: one ES module for `koa-fleet start dist/app.js`, no types.
export default packageBuild({ entry: ['src/app.ts'], format: ['esm'], dts: false });
