import { checkDuration, checkInteger } from '@koa-fleet/errors';

/** nginx's `max_fails` and `fail_timeout`, for every backend or one of them. */
export interface PassiveHealthOptions {
  /** Failures within `failTimeout` that take a backend out. Default 1; 0 never takes it out. */
  maxFails?: number;
  /** The window failures are counted in, and how long the backend then stays out. Default '10s'. */
  failTimeout?: number | string;
}

export interface ResolvedPassiveHealth {
  maxFails: number;
  failTimeoutMs: number;
}

export const PASSIVE_HEALTH_DEFAULTS: ResolvedPassiveHealth = {
  maxFails: 1,
  failTimeoutMs: 10_000,
};

/** `path` is where the options sit (`''` at the top, `backends[2]` for one backend). */
export function resolvePassiveHealth(
  path: string,
  input: PassiveHealthOptions,
  defaults: ResolvedPassiveHealth,
): ResolvedPassiveHealth {
  const at = (key: string) => (path ? `${path}.${key}` : key);
  return {
    maxFails:
      input.maxFails === undefined
        ? defaults.maxFails
        : checkInteger(at('maxFails'), input.maxFails, { min: 0 }),
    failTimeoutMs:
      input.failTimeout === undefined
        ? defaults.failTimeoutMs
        : checkDuration(at('failTimeout'), input.failTimeout, { min: 1 }),
  };
}

/** `up` takes requests; `down` failed too often; `draining` answered with the drain header. */
export type BackendState = 'up' | 'down' | 'draining';

/**
 * What brings a backend that left back into rotation: the end of `failTimeout` (nginx's passive
 * health), or — when active checks are on — its health check passing `rise` times in a row.
 */
export type Recovery = 'fail-timeout' | 'health-check';

export interface HealthHooks {
  /** False while the backend is the only one: nginx never takes a lone server out either. */
  mayLeave(): boolean;
  changed(state: BackendState, previous: BackendState): void;
}

/**
 * One backend's passive health with nginx's semantics: `maxFails` failures within `failTimeout`
 * take it out for `failTimeout`. Successes do not wipe the count inside the window (nginx counts
 * failures per window, not in a row). After the time out it is back on probation, as nginx's
 * peer is: its next answer decides — a failure takes it out again at once, a success clears it.
 *
 * A drained backend (its answer carried the drain header) is out at once, and back after
 * `failTimeout` too. With active checks (`Recovery` 'health-check') no timer brings anything
 * back: the checks do, through takeOut() and bringBack() (see ActiveHealth), as soon as the
 * backend is ready again — and with no probation, since the check has just proved it.
 */
export class PassiveHealth {
  #options: ResolvedPassiveHealth;
  readonly #hooks: HealthHooks;
  readonly #recovery: Recovery;
  #state: BackendState = 'up';
  /** Times (ms) of the failures inside the current window. */
  #failures: number[] = [];
  #probation = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    options: ResolvedPassiveHealth,
    hooks: HealthHooks,
    recovery: Recovery = 'fail-timeout',
  ) {
    this.#options = options;
    this.#hooks = hooks;
    this.#recovery = recovery;
  }

  get state(): BackendState {
    return this.#state;
  }

  get maxFails(): number {
    return this.#options.maxFails;
  }

  /** A try counted as a failure (see the `nextUpstream` option). */
  failed(): void {
    const { maxFails, failTimeoutMs } = this.#options;
    if (maxFails === 0 || this.#state !== 'up') return;
    const now = Date.now();
    this.#failures = this.#failures.filter((at) => now - at < failTimeoutMs);
    this.#failures.push(now);
    if (this.#probation || this.#failures.length >= maxFails) this.#leave('down');
  }

  succeeded(): void {
    if (!this.#probation) return;
    this.#probation = false;
    this.#failures = [];
  }

  /**
   * Another balancer process of the fleet took the backend out for its failures (`--workers`):
   * out here too, for `failTimeout`, and back on probation the same way.
   */
  failedElsewhere(): void {
    if (this.#options.maxFails > 0 && this.#state === 'up') this.#leave('down');
  }

  /** New `maxFails`/`failTimeout` (a reload): from the next failure on; a time out running ends as set. */
  reconfigure(options: ResolvedPassiveHealth): void {
    this.#options = options;
  }

  /** The backend said it is draining: no new requests, even before its sockets close. */
  draining(): void {
    if (this.#state === 'up') this.#leave('draining');
  }

  /** The active check failed `fall` times in a row. */
  takeOut(): void {
    if (this.#state === 'up') this.#leave('down');
  }

  /** The active check passed `rise` times in a row since the backend left. */
  bringBack(): void {
    if (this.#state === 'up') return;
    clearTimeout(this.#timer);
    this.#probation = false;
    this.#set('up');
  }

  /** Stops the timer that would bring the backend back (the balancer is closing). */
  dispose(): void {
    clearTimeout(this.#timer);
  }

  #leave(state: 'down' | 'draining'): void {
    if (!this.#hooks.mayLeave()) return;
    this.#set(state);
    this.#failures = [];
    if (this.#recovery === 'health-check') return;
    this.#timer = setTimeout(() => {
      this.#probation = state === 'down';
      this.#set('up');
    }, this.#options.failTimeoutMs);
    this.#timer.unref();
  }

  #set(state: BackendState): void {
    const previous = this.#state;
    this.#state = state;
    this.#hooks.changed(state, previous);
  }
}
