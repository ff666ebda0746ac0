import type {
  AdminFleet,
  AdminFleetReload,
  AdminFleetRestart,
} from '../discovery/discovery-types.js';
import type { AdminBackend, AdminEvent, AdminInfo, AdminReloadResult } from './admin-types.js';

/** The fleets the balancer follows (`fleets`), as the admin API reads and commands them. */
export interface FleetsAdmin {
  list(): Promise<AdminFleet[]>;
  /** Rejects with an UnknownFleetError. */
  one(id: string): Promise<AdminFleet>;
  /** Rejects with an UnknownFleetError, or a FleetCommandError when the fleet did not do it. */
  reload(id: string): Promise<AdminFleetReload>;
  /** `slot` as in the path; an InvalidOptionError when it is not a slot number. */
  restartWorker(id: string, slot: unknown): Promise<AdminFleetRestart>;
}

/** Prometheus text and its content type. */
export interface MetricsText {
  contentType: string;
  text: string;
}

/**
 * What the admin listener changes and reads: one balancer in this process, or with `--workers`
 * every balancer process of the fleet, through the cluster's IPC. `url` is a backend's URL as
 * given in a request path (resolved and matched by the target); the inputs are checked by the
 * target with the config's own resolvers, so a wrong one is an InvalidOptionError naming its field.
 */
export interface AdminTarget {
  info(): Promise<AdminInfo>;
  list(): Promise<AdminBackend[]>;
  add(config: unknown): Promise<AdminBackend>;
  /** Resolves once the backend is gone: drained, its requests done, its connections closed. */
  remove(url: string): Promise<AdminBackend>;
  drain(url: string): Promise<AdminBackend>;
  undrain(url: string): Promise<AdminBackend>;
  setWeight(url: string, weight: unknown): Promise<AdminBackend>;
  metrics(): Promise<MetricsText>;
  /**
   * Reads the config file again and applies it (balancer.reload()); rejects, changing nothing,
   * with an InvalidOptionError or ConfigFileError for a bad file, a ReloadRestartError for an
   * option only a restart changes, a ReloadUnavailableError when there is no file.
   */
  reload(): Promise<AdminReloadResult>;
  /** Calls `listener` with every backend event (not stats) until the returned function is called. */
  subscribe(listener: (event: AdminEvent) => void): () => void;
  /** With `fleets`: the followed fleets (the event stream carries their events through `subscribe`). */
  fleets?: FleetsAdmin;
}
