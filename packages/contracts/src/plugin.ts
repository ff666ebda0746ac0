import type { FleetEvents } from './fleet-events.js';
import type { PrimaryIpc } from './ipc.js';
import type { FleetLogger } from './logger.js';
import type { FleetStats } from './stats.js';

/** What a fleet plugin gets in the primary. */
export interface PrimaryContext {
  ipc: PrimaryIpc;
  stats(): FleetStats;
  on<E extends keyof FleetEvents>(event: E, listener: (...args: FleetEvents[E]) => void): void;
  logger: FleetLogger;
}

/** What a plugin's `setup` may return: its cleanup, run after the fleet stopped. */
export type PluginCleanup = () => void | Promise<void>;

/**
 * A primary-side feature of another package (the embedded session store, fleet health), passed as
 * `startFleet({ plugins: [...] })`. A plugin may declare its `setup` parameter as only the parts
 * of `PrimaryContext` it uses (e.g. `Pick<PrimaryContext, 'ipc'>`); it still fits here.
 */
export interface FleetPlugin {
  name: string;
  /** Runs before the first worker forks. */
  setup(primary: PrimaryContext): void | PluginCleanup | Promise<void | PluginCleanup>;
}
