import type { Logger } from 'pino';
import type { FleetEvents } from './fleet-events.js';
import type { PrimaryIpc } from './ipc.js';
import type { FleetStats } from './stats.js';

/** What a fleet plugin gets in the primary. */
export interface PrimaryContext {
  ipc: PrimaryIpc;
  stats(): FleetStats;
  on<E extends keyof FleetEvents>(event: E, listener: (...args: FleetEvents[E]) => void): void;
  logger: Logger;
}

/** Primary-side feature of another package (session store, fleet health), see startFleet({ plugins }). */
export interface FleetPlugin {
  name: string;
  /** Runs before the first worker forks; may return a cleanup run after the fleet stopped. */
  setup(
    primary: PrimaryContext,
  ): void | (() => void | Promise<void>) | Promise<void | (() => void | Promise<void>)>;
}
