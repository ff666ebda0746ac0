import type { FleetConnectionEvent, FleetWorkerEvent } from '../discovery/discovery-types.js';
import type { BackendState } from '../health/passive-health.js';
import type { ReloadResult } from '../reload/reload-result.js';
import type { BackendStats, BackendStatsState } from '../stats/backend-stats.js';

/**
 * Admin API v1: the JSON every answer and event of `/api/v1/` carries. A field is only ever added
 * within v1, never renamed or removed.
 */

/** One backend, in every answer about backends. */
export interface AdminBackend extends BackendStats {
  /** The backend in a URL path: `encodeURIComponent(url)`, as in `/api/v1/backends/:id`. */
  id: string;
  /** With `--workers`: the state each balancer process sees (each keeps its own health). */
  workers?: AdminWorkerState[];
}

export interface AdminWorkerState {
  workerId: number;
  state: BackendStatsState;
}

/** `GET /api/v1/info`: which balancer this admin listener is about. */
export interface AdminInfo {
  /** The admin API's version: 1 for every `/api/v1/` answer. */
  api: 1;
  /** `@koa-fleet/balancer`'s version. */
  version: string;
  balancer: {
    /** Where clients reach it: its `address.url`. */
    url: string;
  };
  strategy: string;
  /** Balancer processes behind this admin listener: 1, or `--workers`. */
  workers: number;
}

/** `GET /api/v1/backends`. */
export interface AdminBackendList {
  backends: AdminBackend[];
}

/**
 * Every answer that is not a 2xx: `error` is the kind (the HTTP status in words), `code` the
 * error's stable code when it has one, `option` the field of the request body that is wrong.
 */
export interface AdminErrorBody {
  error:
    | 'bad_request'
    | 'unauthorized'
    | 'not_found'
    | 'method_not_allowed'
    | 'conflict'
    | 'unavailable'
    | 'internal';
  message: string;
  code?: string;
  option?: string;
}

/**
 * `POST /api/v1/reload`: what the reload of the config file changed (URLs of backends). With
 * `--workers`, `workers` is how many balancer processes applied it.
 */
export interface AdminReloadResult extends ReloadResult {
  workers?: number;
}

/** `event: backend-state`: a backend went down, started draining, came back. */
export interface AdminStateEvent {
  backend: string;
  state: BackendState;
  previous: BackendState;
  /** ISO 8601. */
  at: string;
  /** With `--workers`: the balancer process that saw it. */
  workerId?: number;
}

/** `event: backend-added`. */
export interface AdminBackendAddedEvent {
  backend: AdminBackend;
  at: string;
}

/** `event: backend-removed`: sent once it is gone, its requests done. */
export interface AdminBackendRemovedEvent {
  backend: string;
  at: string;
}

/** `event: stats`, every second: every backend as `GET /api/v1/backends` would answer. */
export interface AdminStatsEvent {
  backends: AdminBackend[];
  at: string;
}

/** `event: config-reloaded`: a config reload was applied (SIGHUP, the API or `reload()`). */
export interface AdminConfigReloadedEvent extends AdminReloadResult {
  at: string;
}

/** What `GET /api/v1/events` sends: the SSE `event:` name, and the JSON of its `data:`. */
export type AdminEvent =
  | { event: 'backend-state'; data: AdminStateEvent }
  | { event: 'backend-added'; data: AdminBackendAddedEvent }
  | { event: 'backend-removed'; data: AdminBackendRemovedEvent }
  | { event: 'stats'; data: AdminStatsEvent }
  | { event: 'config-reloaded'; data: AdminConfigReloadedEvent }
  /** With `fleets`: a followed fleet's worker is starting, ready, draining or has exited. */
  | { event: 'fleet-worker'; data: FleetWorkerEvent }
  /** With `fleets`: a followed fleet's control socket was lost, or is back. */
  | { event: 'fleet-connection'; data: FleetConnectionEvent };
