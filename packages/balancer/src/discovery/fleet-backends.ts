import type { ResolvedBackend } from '../backend.js';

/**
 * What a fleet follower may do to its balancer's backends, beyond the public methods: take a
 * backend out and wait until nothing is in flight to it, and remove the last backend (the fleet,
 * not the user, says it is gone). A symbol, so it stays off the public API.
 */
export const FLEET_BACKENDS: unique symbol = Symbol('koa-fleet.balancer.fleet-backends');

export interface FleetBackends {
  has(url: string): boolean;
  /** Adds the backend, in rotation at once; or puts the held one of that URL back. */
  serve(backend: ResolvedBackend): void;
  /**
   * Takes the backend out of rotation, retires its pooled connections, and resolves once no
   * request is in flight to it (or after `grace`): false when grace ran out first.
   */
  hold(url: string): Promise<boolean>;
  /**
   * The port has no worker any more: out of rotation, its tries in flight cut at once (they go
   * on to the next backend as the retry rules allow), then removed, even the last one.
   */
  leave(url: string): Promise<void>;
}

/** The balancer's FleetDirectory (undefined without `fleets`), for its admin target. */
export const FLEET_DIRECTORY: unique symbol = Symbol('koa-fleet.balancer.fleet-directory');
