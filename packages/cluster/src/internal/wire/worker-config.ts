import { FleetUsageError } from '../../errors.js';
import type { ResolvedFleetOptions } from '../../options.js';

/** The fleet options a worker reads, passed on at fork as they were resolved in the primary. */
const WORKER_OPTIONS = [
  'entry',
  'host',
  'https',
  'keepAliveTimeout',
  'headersTimeout',
  'drainWindow',
  'shutdownDelay',
  'grace',
  'heartbeatInterval',
  'ipcTimeout',
  'logLevel',
] as const satisfies ReadonlyArray<keyof ResolvedFleetOptions>;

type WorkerOptions = Pick<ResolvedFleetOptions, (typeof WORKER_OPTIONS)[number]>;

/** Everything a worker needs from the primary, passed in one environment variable at fork. */
export type WorkerConfig = WorkerOptions & {
  /** The slot's id, stable across restarts. */
  id: number;
  /** The shared port, or port + id with per-worker ports. */
  port: number;
  generation: number;
};

export const WORKER_CONFIG_ENV = 'KOA_FLEET_WORKER';

/** The config of a worker of slot `id` on `port`, serving `generation`. */
export function workerConfig(
  options: ResolvedFleetOptions,
  slot: { id: number; port: number },
  generation: number,
): WorkerConfig {
  const picked = Object.fromEntries(WORKER_OPTIONS.map((key) => [key, options[key]]));
  return { ...(picked as WorkerOptions), id: slot.id, port: slot.port, generation };
}

export function encodeWorkerConfig(config: WorkerConfig): Record<string, string> {
  return { [WORKER_CONFIG_ENV]: JSON.stringify(config) };
}

export function decodeWorkerConfig(env: NodeJS.ProcessEnv): WorkerConfig {
  const raw = env[WORKER_CONFIG_ENV];
  if (!raw) {
    throw new FleetUsageError(
      `${WORKER_CONFIG_ENV} is not set: this file is started by startFleet(), not by hand`,
    );
  }
  return JSON.parse(raw) as WorkerConfig;
}
