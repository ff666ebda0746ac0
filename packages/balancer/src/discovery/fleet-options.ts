import { basename } from 'node:path';
import { checkInteger, checkString, InvalidOptionError } from '@koa-fleet/errors';
import { checkWeight, type BackendDefaults, type ResolvedBackend } from '../backend.js';
import { resolvePassiveHealth, type PassiveHealthOptions } from '../health/passive-health.js';
import { resolveSlowStart, type SlowStartOptions } from '../health/slow-start.js';
import { checkOptionObject } from '../internal/option-object.js';

/**
 * A `@koa-fleet/cluster` fleet to follow (`fleets` of the config, `--fleet` of the CLI): its
 * workers' own ports (the fleet runs with `perWorkerPorts`) become backends, in rotation while
 * the worker is ready. `maxFails`, `failTimeout`, `slowStart` and `maxConns` are each worker
 * backend's, as a `backends` entry's; unset, the top level's.
 */
export interface FleetConfig extends PassiveHealthOptions, SlowStartOptions {
  /**
   * The fleet's control socket: the `--pid-file` the fleet was started with (its socket is
   * `<pid file>.sock`), or the socket itself — a path ending in `.sock` is taken as the socket.
   */
  control: string;
  /** The fleet in the admin API (`/api/v1/fleets/:name`). Default: the file name without `.pid`/`.sock`. */
  name?: string;
  /** Every worker's weight unless `weights` gives its slot one. Default 1. */
  weight?: number;
  /** Weights by slot (`workerId`): `{ "0": 3 }`, or an array whose index is the slot. */
  weights?: Record<string, number> | number[];
  /** Requests in flight to each worker at most; 0 (default) is no limit. */
  maxConns?: number;
  /** The path of the workers' health answer (`@koa-fleet/health`) for the admin API. Default '/healthz'. */
  healthPath?: string;
}

/** How to reach a fleet's control socket, as `connectFleetControl()` takes it. */
export type FleetTarget = { pidFile: string } | { socketPath: string };

export interface ResolvedFleet {
  name: string;
  /** As configured. */
  control: string;
  target: FleetTarget;
  /** The weight of slot `workerId`. */
  weightOf(workerId: number): number;
  /** Each worker backend but its URL and weight. */
  backend: Omit<ResolvedBackend, 'url' | 'weight'>;
  healthPath: string;
}

const FLEET_KEYS = Object.keys({
  control: true,
  name: true,
  weight: true,
  weights: true,
  maxConns: true,
  maxFails: true,
  failTimeout: true,
  slowStart: true,
  healthPath: true,
} satisfies Record<keyof FleetConfig, true>);

/** `fleets` of the config: undefined or an array of FleetConfig, each name its own. */
export function resolveFleets(input: unknown, defaults: BackendDefaults): ResolvedFleet[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) {
    throw new InvalidOptionError('fleets', 'an array such as [{ "control": "app.pid" }]', input);
  }
  const names = new Set<string>();
  return input.map((entry: unknown, index) => {
    const path = `fleets[${index}]`;
    const fleet = resolveFleet(path, entry, defaults);
    if (names.has(fleet.name)) {
      throw new InvalidOptionError(`${path}.name`, 'a name no other fleet has', fleet.name);
    }
    names.add(fleet.name);
    return fleet;
  });
}

function resolveFleet(path: string, entry: unknown, defaults: BackendDefaults): ResolvedFleet {
  const config = checkOptionObject<FleetConfig>(
    path,
    entry,
    FLEET_KEYS,
    'an object with control (a pid file or a control socket path)',
  );
  const control = checkString(`${path}.control`, config.control);
  const target: FleetTarget = control.endsWith('.sock')
    ? { socketPath: control }
    : { pidFile: control };
  const name =
    config.name === undefined
      ? basename(control).replace(/\.(pid|sock)$/, '') || control
      : checkString(`${path}.name`, config.name);
  // The name goes in the admin API's paths as it is.
  if (!/^[\w.-]+$/.test(name)) {
    throw new InvalidOptionError(`${path}.name`, 'letters, digits, ".", "_" and "-"', name);
  }
  const weight = checkWeight(`${path}.weight`, config.weight ?? 1);
  const weights = resolveWeights(`${path}.weights`, config.weights);
  return {
    name,
    control,
    target,
    weightOf: (workerId) => weights.get(workerId) ?? weight,
    backend: {
      backup: false,
      maxConns: checkInteger(`${path}.maxConns`, config.maxConns ?? 0, { min: 0 }),
      health: resolvePassiveHealth(path, config, defaults.health),
      slowStartMs: resolveSlowStart(path, config, defaults.slowStartMs),
    },
    healthPath: checkPath(`${path}.healthPath`, config.healthPath ?? '/healthz'),
  };
}

function resolveWeights(path: string, input: unknown): Map<number, number> {
  const weights = new Map<number, number>();
  if (input === undefined) return weights;
  if (Array.isArray(input)) {
    input.forEach((weight: unknown, slot) =>
      weights.set(slot, checkWeight(`${path}[${slot}]`, weight)),
    );
    return weights;
  }
  if (typeof input !== 'object' || input === null) {
    throw new InvalidOptionError(
      path,
      'an object of weights by slot such as { "0": 3 }, or an array',
      input,
    );
  }
  for (const [slot, weight] of Object.entries(input)) {
    if (!/^(0|[1-9]\d*)$/.test(slot)) {
      throw new InvalidOptionError(path, 'keys that are slots (0, 1, …)', slot);
    }
    weights.set(Number(slot), checkWeight(`${path}.${slot}`, weight));
  }
  return weights;
}

function checkPath(option: string, value: unknown): string {
  const path = checkString(option, value);
  if (!path.startsWith('/'))
    throw new InvalidOptionError(option, 'a path such as "/healthz"', value);
  return path;
}
