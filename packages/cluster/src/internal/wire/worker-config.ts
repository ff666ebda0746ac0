import type { LevelWithSilent } from 'pino';

/** Everything a worker needs from the primary, passed in one environment variable at fork. */
export interface WorkerConfig {
  entry: string;
  id: number;
  port: number;
  host: string;
  generation: number;
  keepAliveTimeout: number;
  headersTimeout: number;
  drainWindow: number;
  shutdownDelay: number;
  grace: number;
  heartbeatInterval: number;
  ipcTimeout: number;
  logLevel: LevelWithSilent;
}

export const WORKER_CONFIG_ENV = 'KOA_FLEET_WORKER';

export function encodeWorkerConfig(config: WorkerConfig): Record<string, string> {
  return { [WORKER_CONFIG_ENV]: JSON.stringify(config) };
}

export function decodeWorkerConfig(env: NodeJS.ProcessEnv): WorkerConfig {
  const raw = env[WORKER_CONFIG_ENV];
  if (!raw) {
    throw new Error(
      `${WORKER_CONFIG_ENV} is not set: this file is started by startFleet(), not by hand`,
    );
  }
  return JSON.parse(raw) as WorkerConfig;
}
