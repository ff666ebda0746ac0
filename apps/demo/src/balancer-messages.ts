import type { BalancerAddress, BalancerConfig } from '@koa-fleet/balancer';

/** From the demo's primary to its balancer process: the config to serve, then `stop`. */
export type ToBalancer = { type: 'start'; config: BalancerConfig } | { type: 'stop' };

/** From the balancer process: it listens, or it could not start (and exits 1). */
export type FromBalancer =
  | { type: 'listening'; address: BalancerAddress }
  | { type: 'failed'; code: string | undefined; message: string };

export function isFromBalancer(message: unknown): message is FromBalancer {
  const type = (message as { type?: unknown } | null)?.type;
  return type === 'listening' || type === 'failed';
}

export function isToBalancer(message: unknown): message is ToBalancer {
  const type = (message as { type?: unknown } | null)?.type;
  return type === 'start' || type === 'stop';
}
