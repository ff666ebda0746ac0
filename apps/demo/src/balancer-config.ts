import type { BalancerConfig } from '@koa-fleet/balancer';
import type { DemoFleet } from './demo-fleets.js';
import type { DemoOptions } from './demo-options.js';

/** Unequal on purpose, so the split is visible: slot 0 gets twice the share of any other. */
const SLOT_WEIGHTS: Readonly<Record<number, number>> = { 0: 2 };

/** A slot's weight in the balancer (the banner prints it; the balancer is configured with it). */
export function slotWeight(slot: number): number {
  return SLOT_WEIGHTS[slot] ?? 1;
}

/**
 * The balancer in front of the app's fleets (one, or one per `--hosts`): the one place that says
 * how it finds the workers. It follows each fleet over its control socket (next to its pid
 * file): each ready worker's own port is a backend, and the fleet tells the balancer a worker
 * will drain before it tells the worker, so a rolling reload fails no request.
 */
export function balancerConfig(
  options: DemoOptions,
  fleets: Pick<DemoFleet, 'name' | 'pidFile'>[],
): BalancerConfig {
  return {
    port: options.port,
    host: options.host,
    admin: { port: options.adminPort, host: '127.0.0.1' },
    fleets: fleets.map(({ name, pidFile }) => ({ control: pidFile, name, weights: SLOT_WEIGHTS })),
    // GET /readyz of @koa-fleet/health, on top of the fleet's events: a worker that runs but is
    // not ready (its session store unreachable) leaves the rotation too.
    healthCheck: true,
  };
}
