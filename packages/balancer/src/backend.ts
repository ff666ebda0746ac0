import { checkBoolean, checkInteger, checkString, InvalidOptionError } from '@koa-fleet/errors';
import {
  PassiveHealth,
  resolvePassiveHealth,
  type BackendState,
  type HealthHooks,
  type PassiveHealthOptions,
  type Recovery,
  type ResolvedPassiveHealth,
} from './health/passive-health.js';
import { resolveSlowStart, SlowStart, type SlowStartOptions } from './health/slow-start.js';
import { checkOptionObject } from './internal/option-object.js';

/** One server of the upstream, as nginx's `server` line: `server 127.0.0.1:3001 weight=3;`. */
export interface BackendConfig extends PassiveHealthOptions, SlowStartOptions {
  /** The backend's origin, `http://host:port` (no path). */
  url: string;
  /** Share of the requests, relative to the others. Default 1. */
  weight?: number;
  /** Used only while every primary backend is down. Default false. */
  backup?: boolean;
  /** Requests in flight to it at most; 0 (default) is no limit. */
  maxConns?: number;
}

/** A backend as the balancer sees it now (`balancer.backends`). */
export interface Backend {
  readonly url: string;
  readonly weight: number;
  readonly backup: boolean;
  readonly maxConns: number;
  readonly state: BackendState;
  /** Requests in flight to it. */
  readonly active: number;
}

export interface ResolvedBackend {
  url: string;
  weight: number;
  backup: boolean;
  maxConns: number;
  health: ResolvedPassiveHealth;
  /** 0: no slow start. */
  slowStartMs: number;
}

/** What every backend takes unless its own entry says otherwise. */
export interface BackendDefaults {
  health: ResolvedPassiveHealth;
  slowStartMs: number;
}

const BACKEND_KEYS = Object.keys({
  url: true,
  weight: true,
  backup: true,
  maxConns: true,
  maxFails: true,
  failTimeout: true,
  slowStart: true,
} satisfies Record<keyof BackendConfig, true>);

/** `backends` of the config: each a URL or a BackendConfig; `defaults` are the top-level options. */
export function resolveBackends(input: unknown, defaults: BackendDefaults): ResolvedBackend[] {
  if (!Array.isArray(input) || input.length === 0) {
    throw new InvalidOptionError('backends', 'a non-empty array of backends', input);
  }
  const seen = new Set<string>();
  return input.map((entry: unknown, index) => {
    const path = `backends[${index}]`;
    const backend = resolveBackend(path, entry, defaults);
    if (seen.has(backend.url)) {
      const where = typeof entry === 'string' ? path : `${path}.url`;
      throw new InvalidOptionError(where, 'a URL no other backend has', backend.url);
    }
    seen.add(backend.url);
    return backend;
  });
}

function resolveBackend(path: string, entry: unknown, defaults: BackendDefaults): ResolvedBackend {
  const config =
    typeof entry === 'string'
      ? { url: entry }
      : checkOptionObject<BackendConfig>(
          path,
          entry,
          BACKEND_KEYS,
          'a URL or an object with a url',
        );
  const where = typeof entry === 'string' ? path : `${path}.url`;
  return {
    url: checkOrigin(where, config.url),
    weight: checkInteger(`${path}.weight`, config.weight ?? 1, { min: 1 }),
    backup: checkBoolean(`${path}.backup`, config.backup ?? false),
    maxConns: checkInteger(`${path}.maxConns`, config.maxConns ?? 0, { min: 0 }),
    health: resolvePassiveHealth(path, config, defaults.health),
    slowStartMs: resolveSlowStart(path, config, defaults.slowStartMs),
  };
}

const ORIGIN_EXAMPLE = 'an http:// origin such as "http://127.0.0.1:3001"';

/** Backends are plain HTTP/1.1 origins, as nginx's upstream servers are by default. */
function checkOrigin(path: string, value: unknown): string {
  const text = checkString(path, value);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidOptionError(path, ORIGIN_EXAMPLE, value);
  }
  if (
    url.protocol !== 'http:' ||
    url.username ||
    url.password ||
    url.pathname !== '/' ||
    url.search ||
    url.hash
  ) {
    throw new InvalidOptionError(path, `${ORIGIN_EXAMPLE} (no path)`, value);
  }
  return url.origin;
}

/**
 * A backend with its live state (nginx calls it a peer): the health that decides whether it takes
 * requests, the count of requests in flight that least-connections and `maxConns` read, and the
 * slow start that ramps its weight up after it comes back.
 */
export class Peer implements Backend {
  readonly url: string;
  readonly weight: number;
  readonly backup: boolean;
  readonly maxConns: number;
  readonly health: PassiveHealth;
  readonly #slowStart: SlowStart;
  #active = 0;

  constructor(config: ResolvedBackend, hooks: HealthHooks, recovery?: Recovery) {
    this.url = config.url;
    this.weight = config.weight;
    this.backup = config.backup;
    this.maxConns = config.maxConns;
    this.#slowStart = new SlowStart(config.slowStartMs);
    const changed: HealthHooks['changed'] = (state, previous) => {
      if (state === 'up') this.#slowStart.begin();
      hooks.changed(state, previous);
    };
    this.health = new PassiveHealth(config.health, { ...hooks, changed }, recovery);
  }

  /** The weight strategies balance by now: `weight`, or less while a slow start ramps it up. */
  get rampedWeight(): number {
    return this.weight * this.#slowStart.share();
  }

  get state(): BackendState {
    return this.health.state;
  }

  get active(): number {
    return this.#active;
  }

  /** Up, and below its `maxConns`. */
  get available(): boolean {
    return this.health.state === 'up' && (this.maxConns === 0 || this.#active < this.maxConns);
  }

  acquire(): void {
    this.#active++;
  }

  release(): void {
    this.#active--;
  }

  toJSON(): Backend {
    const { url, weight, backup, maxConns, state, active } = this;
    return { url, weight, backup, maxConns, state, active };
  }
}
