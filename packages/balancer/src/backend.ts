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
import type { CheckOutcome } from './health/health-checker.js';
import { checkOptionObject } from './internal/option-object.js';
import { BackendCounters } from './stats/backend-counters.js';

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

/**
 * One backend's entry; `path` is where it sits (`backends[2]`, or `''` for a backend added on its
 * own, whose fields are then named `url`, `weight`, …).
 */
export function resolveBackend(
  path: string,
  entry: unknown,
  defaults: BackendDefaults,
): ResolvedBackend {
  const at = (key: string) => (path ? `${path}.${key}` : key);
  const expected = 'a URL or an object with a url';
  const config =
    typeof entry === 'string'
      ? { url: entry }
      : checkOptionObject<BackendConfig>(path, entry, BACKEND_KEYS, expected, path || 'backend');
  const where = typeof entry === 'string' && path ? path : at('url');
  return {
    url: checkOrigin(where, config.url),
    weight: checkWeight(at('weight'), config.weight ?? 1),
    backup: checkBoolean(at('backup'), config.backup ?? false),
    maxConns: checkInteger(at('maxConns'), config.maxConns ?? 0, { min: 0 }),
    health: resolvePassiveHealth(path, config, defaults.health),
    slowStartMs: resolveSlowStart(path, config, defaults.slowStartMs),
  };
}

/** A backend's share of the requests: a whole number from 1 (as nginx's `weight=`). */
export function checkWeight(path: string, value: unknown): number {
  return checkInteger(path, value, { min: 1 });
}

const ORIGIN_EXAMPLE = 'an http:// origin such as "http://127.0.0.1:3001"';

/** Backends are plain HTTP/1.1 origins, as nginx's upstream servers are by default. */
export function checkOrigin(path: string, value: unknown): string {
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
 * requests, the count of requests in flight that least-connections and `maxConns` read, the slow
 * start that ramps its weight up after it comes back, and its counters. The admin can hold it out
 * of rotation — drained until undrained, or leaving while it is removed — whatever its health
 * says: its state is then `draining`, and health changes underneath are not reported.
 */
export class Peer implements Backend {
  readonly url: string;
  readonly health: PassiveHealth;
  readonly counters = new BackendCounters();
  #config: ResolvedBackend;
  #backup: boolean;
  #maxConns: number;
  #slowStart: SlowStart;
  readonly #changed: HealthHooks['changed'];
  #weight: number;
  #active = 0;
  #drained = false;
  #leaving = false;
  /** drained or leaving: out of rotation by the admin's word. */
  #held = false;
  #whenIdle: (() => void) | undefined;
  /**
   * What its last active check got: an answer (the process serves, ready or not), the drain
   * header (on its way out), or none (refused, reset, timed out); undefined before the first.
   */
  #lastCheck: 'answered' | 'draining' | 'silent' | undefined;

  constructor(config: ResolvedBackend, hooks: HealthHooks, recovery?: Recovery) {
    this.url = config.url;
    this.#config = config;
    this.#weight = config.weight;
    this.#backup = config.backup;
    this.#maxConns = config.maxConns;
    this.#slowStart = new SlowStart(config.slowStartMs);
    this.#changed = hooks.changed;
    const changed: HealthHooks['changed'] = (state, previous) => {
      if (state === 'up') this.#slowStart.begin();
      if (!this.#held) hooks.changed(state, previous);
    };
    this.health = new PassiveHealth(config.health, { ...hooks, changed }, recovery);
  }

  get weight(): number {
    return this.#weight;
  }

  /** Its config as resolved, with the weight it has now (balancer.reload() diffs against it). */
  get config(): ResolvedBackend {
    return { ...this.#config, weight: this.#weight };
  }

  get backup(): boolean {
    return this.#backup;
  }

  get maxConns(): number {
    return this.#maxConns;
  }

  /** The weight strategies balance by now: `weight`, or less while a slow start ramps it up. */
  get rampedWeight(): number {
    return this.#weight * this.#slowStart.share();
  }

  /** Up, and its weight still ramping up after it came back. */
  get slowStarting(): boolean {
    return this.state === 'up' && this.#slowStart.share() < 1;
  }

  get state(): BackendState {
    return this.#held ? 'draining' : this.health.state;
  }

  /** Held out by drain() until undrain(). */
  get drained(): boolean {
    return this.#drained;
  }

  /** Being removed: out of rotation for good. */
  get leaving(): boolean {
    return this.#leaving;
  }

  get active(): number {
    return this.#active;
  }

  /** Up, not held out, and below its `maxConns`. */
  get available(): boolean {
    return !this.#held && this.health.state === 'up' && this.#belowMaxConns;
  }

  /**
   * Down by its health alone — not held out by the admin, not draining (nor its last check
   * answered with the drain header), below its `maxConns` — so it may take a request when no
   * backend is up (see BackendSet.candidates).
   */
  get standsIn(): boolean {
    return (
      !this.#held &&
      this.health.state === 'down' &&
      this.#lastCheck !== 'draining' &&
      this.#belowMaxConns
    );
  }

  /**
   * Stands in, and its active checks still get an answer (a 503 from `/readyz`, not a refused
   * connection nor the drain header): alive, and saying it is not ready. Tried before the
   * backends that stand in without a word.
   */
  get unready(): boolean {
    return this.standsIn && this.#lastCheck === 'answered';
  }

  get #belowMaxConns(): boolean {
    return this.maxConns === 0 || this.#active < this.maxConns;
  }

  setWeight(weight: number): void {
    this.#weight = weight;
  }

  /**
   * Takes a reloaded config of the same URL in place (balancer.reload()): its state, requests in
   * flight and counters stay; a slow start in progress ends, the new one applies to its next return.
   */
  reconfigure(config: ResolvedBackend): void {
    this.#config = config;
    this.#weight = config.weight;
    this.#backup = config.backup;
    this.#maxConns = config.maxConns;
    this.#slowStart = new SlowStart(config.slowStartMs);
    this.health.reconfigure(config.health);
  }

  /** Takes it out of rotation until undrain(); requests in flight go on. */
  drain(): void {
    if (this.#drained) return;
    const previous = this.state;
    this.#drained = true;
    this.#hold(previous);
  }

  /** Back into rotation, if its health is up — ramped by its slow start, as after a recovery. */
  undrain(): void {
    if (!this.#drained) return;
    this.#drained = false;
    if (this.#leaving) return;
    this.#held = false;
    const now = this.health.state;
    if (now === 'up') this.#slowStart.begin();
    if (now !== 'draining') this.#changed(now, 'draining');
  }

  /** Out of rotation for good: it is being removed. */
  leave(): void {
    if (this.#leaving) return;
    const previous = this.state;
    this.#leaving = true;
    this.#hold(previous);
  }

  /** A backend that just joined ramps its weight up as one that came back does. */
  joined(): void {
    this.#slowStart.begin();
  }

  /** Resolves once no request is in flight to it. */
  idle(): Promise<void> {
    if (this.#active === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const earlier = this.#whenIdle;
      this.#whenIdle = earlier
        ? () => {
            earlier();
            resolve();
          }
        : resolve;
    });
  }

  /** An active check ended (see HealthChecker). */
  checked(outcome: CheckOutcome): void {
    if (outcome.passed) this.#lastCheck = 'answered';
    else if (outcome.draining === true) this.#lastCheck = 'draining';
    else this.#lastCheck = outcome.status === undefined ? 'silent' : 'answered';
    this.counters.lastCheck = {
      at: new Date().toISOString(),
      ok: outcome.passed,
      ...(outcome.status !== undefined && { status: outcome.status }),
      ...(!outcome.passed && { reason: outcome.reason }),
    };
  }

  /** A try goes out to it. */
  acquire(): void {
    this.#active++;
    this.counters.requests++;
  }

  release(): void {
    if (--this.#active === 0 && this.#whenIdle) {
      const resolve = this.#whenIdle;
      this.#whenIdle = undefined;
      resolve();
    }
  }

  toJSON(): Backend {
    const { url, weight, backup, maxConns, state, active } = this;
    return { url, weight, backup, maxConns, state, active };
  }

  #hold(previous: BackendState): void {
    this.#held = true;
    if (previous !== 'draining') this.#changed('draining', previous);
  }
}
