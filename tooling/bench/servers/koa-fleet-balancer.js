// koa-fleet's balancer in one process: `createBalancer` from the built @koa-fleet/balancer in
// front of BACKENDS, with passive and active health, retries and forwarded headers on (the
// options are in koa-fleet-balancer-config.js).
import { createBalancer } from '@koa-fleet/balancer';
import { benchBalancerConfig } from './koa-fleet-balancer-config.js';
import { printReady } from './proxy-env.js';

const balancer = createBalancer(benchBalancerConfig());

balancer.listen().then(printReady, (error) => {
  console.error(`balancer did not start: ${error.message}`);
  process.exitCode = 1;
});
