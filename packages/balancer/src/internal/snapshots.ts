/**
 * A Balancer's stats with their latency buckets, read by the package's own `--workers` code to
 * merge the processes' stats; a symbol, so it stays off the public API.
 */
export const SNAPSHOTS: unique symbol = Symbol('koa-fleet.balancer.snapshots');
