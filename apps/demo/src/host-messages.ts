import type { FleetStats } from '@koa-fleet/cluster';
import type { DemoOptions } from './demo-options.js';

/**
 * From the demo's main process to a host's primary (`--hosts`): the fleet to run (options with
 * the host's own `fleetPort`), then a rolling `reload` or a graceful `stop`.
 */
export type ToHost =
  | { type: 'start'; name: string; pidFile: string; options: DemoOptions }
  | { type: 'reload' }
  | { type: 'stop' };

/** From a host's primary: its fleet is ready, a reload is done (or failed). */
export type FromHost =
  { type: 'ready'; stats: FleetStats } | { type: 'reloaded'; error: string | undefined };

export function isToHost(message: unknown): message is ToHost {
  const type = (message as { type?: unknown } | null)?.type;
  return type === 'start' || type === 'reload' || type === 'stop';
}

export function isFromHost(message: unknown): message is FromHost {
  const type = (message as { type?: unknown } | null)?.type;
  return type === 'ready' || type === 'reloaded';
}
