import type { ControlWorker, FleetStats } from '@koa-fleet/contracts';

/**
 * Admin API v1 for followed fleets (`fleets`): `GET /api/v1/fleets`, the fleet commands, and the
 * fleet events of `/api/v1/events`. As the rest of v1, fields are only ever added.
 */

/** A worker event of a followed fleet, as the balancer got it on the control socket. */
export interface FleetWorkerEvent {
  /** The fleet's name (`fleets[].name`). */
  fleet: string;
  event: 'worker-starting' | 'worker-ready' | 'worker-draining' | 'worker-exit';
  workerId: number;
  pid: number;
  generation: number;
  port?: number;
  /** ISO 8601. */
  at: string;
}

/** The balancer lost a fleet's control socket (it keeps the fleet's backends), or got it back. */
export interface FleetConnectionEvent {
  fleet: string;
  connected: boolean;
  /** Why it was lost. */
  reason?: string;
  at: string;
}

/** One worker's `/healthz` answer (application/health+json), as the balancer read it. */
export interface AdminFleetWorkerHealth {
  workerId: number;
  pid: number;
  url: string;
  /** The health+json `status` (`pass`, `warn`, `fail`), when it answered one. */
  status?: string;
  /** The HTTP status of its answer. */
  httpStatus?: number;
  /** The health+json `checks`, by check name. */
  checks?: Record<string, unknown[]>;
  /** Why there is no answer (refused, timed out, not JSON). */
  error?: string;
}

/** One followed fleet in `GET /api/v1/fleets`. */
export interface AdminFleet {
  /** Its name, as in `/api/v1/fleets/:id`. */
  id: string;
  /** The pid file or control socket it was configured with. */
  control: string;
  /** Whether the balancer is subscribed to its control socket now. */
  connected: boolean;
  /** Its `FleetStats` (the control socket's `stats`); absent while not connected. */
  stats?: FleetStats;
  /** Why `stats` is absent. */
  error?: string;
  /** The backends it gives the balancer now (URLs). */
  backends: string[];
  /** Every live worker's health answer. */
  health: AdminFleetWorkerHealth[];
}

/** `GET /api/v1/fleets`. */
export interface AdminFleetList {
  fleets: AdminFleet[];
}

/** `POST /api/v1/fleets/:id/reload`: answered once the rolling reload is done. */
export interface AdminFleetReload {
  fleet: string;
  reloaded: true;
}

/** `POST /api/v1/fleets/:id/workers/:slot/restart`: answered once the new worker is ready. */
export interface AdminFleetRestart {
  fleet: string;
  worker: ControlWorker;
}
