import type { BalancerConfig } from '@koa-fleet/balancer';
import { fleetPorts, type DemoOptions } from './demo-options.js';

/** Unequal on purpose, so the split is visible: slot 0 gets twice the share of any other. */
export function slotWeight(slot: number): number {
  return slot === 0 ? 2 : 1;
}

/**
 * The balancer in front of the app fleet: the one place that says how it finds the workers.
 * Today a static backend per worker port; once the balancer follows a fleet's control socket
 * (`fleets: [{ control: pidFile, weights }]`), that replaces `backends` here and nothing else.
 */
export function balancerConfig(options: DemoOptions, _pidFile: string): BalancerConfig {
  const backendHost = reachable(options.host);
  return {
    port: options.port,
    host: options.host,
    admin: { port: options.adminPort, host: '127.0.0.1' },
    backends: fleetPorts(options).map((port, slot) => ({
      url: `http://${backendHost}:${port}`,
      weight: slotWeight(slot),
    })),
    // GET /readyz of @koa-fleet/health: a draining or restarting worker leaves the rotation.
    healthCheck: true,
  };
}

/** Where to connect to a server listening on `host`: an any-address means this machine. */
function reachable(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
