import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The packages' built command-line entries, as a user's `npx koa-fleet` would run them.
const require = createRequire(import.meta.url);
const binOf = (name: string, bin: string) =>
  join(dirname(require.resolve(`@koa-fleet/${name}/package.json`)), 'bin', bin);

export const fleetBin = binOf('cluster', 'koa-fleet.js');
export const balancerBin = binOf('balancer', 'koa-fleet-balancer.js');
/** The system under test: probes, a Redis readiness check, shared sessions. */
export const systemApp = fileURLToPath(new URL('../../fixtures/system-app.mjs', import.meta.url));
