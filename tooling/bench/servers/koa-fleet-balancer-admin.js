// `koa-fleet` with its admin listener watched, as it is in production: the same balancer with
// `admin` on (a free loopback port), a Prometheus scrape of /metrics every second and one SSE
// subscriber on /api/v1/events (its `stats` event every second, and every backend event) for the
// whole run. The watchers run in a process of their own (admin-watchers.js), as Prometheus and a
// dashboard would: only what the balancer itself does for them is measured.
import { fork } from 'node:child_process';
import { createBalancer } from '@koa-fleet/balancer';
import { benchBalancerConfig } from './koa-fleet-balancer-config.js';
import { printReady } from './proxy-env.js';

const balancer = createBalancer({
  ...benchBalancerConfig(),
  admin: { port: 0, host: '127.0.0.1' },
});

balancer.listen().then(
  (address) => {
    const watchers = fork(new URL('./admin-watchers.js', import.meta.url), [address.admin.url]);
    watchers.once('message', printReady); // once the subscriber has its first event
    watchers.once('exit', (code) => {
      if (code === 0) return; // stopped with the balancer
      console.error(`the admin watchers exited (${code}): the run would not measure them`);
      process.exit(1);
    });
  },
  (error) => {
    console.error(`balancer did not start: ${error.message}`);
    process.exitCode = 1;
  },
);
