import { checkDuration, checkInteger, checkString, InvalidOptionError } from '@koa-fleet/errors';
import { checkOptionObject } from '../internal/option-object.js';
import type { BackendState, PassiveHealth } from './passive-health.js';

/**
 * Active health checks (HAProxy's `check inter 2s rise 2 fall 3`, nginx-plus's `health_check`):
 * a `GET path` to every backend each `interval`; an answer is good when it is a 2xx or 3xx
 * within `timeout` and does not carry the drain header.
 */
export interface HealthCheckOptions {
  /** The path asked for. Default '/readyz' (koa-fleet's readiness probe). */
  path?: string;
  /** Time between two checks of a backend (HAProxy's `inter`). Default '2s'. */
  interval?: number | string;
  /** How long a check may take before it counts as failed (`timeout check`). Default '1s'. */
  timeout?: number | string;
  /** Good checks in a row that bring a backend that left back (`rise`, nginx's `passes`). Default 2. */
  rise?: number;
  /** Failed checks in a row that take a backend out (`fall`, nginx's `fails`). Default 3. */
  fall?: number;
}

export interface ResolvedHealthCheck {
  path: string;
  intervalMs: number;
  timeoutMs: number;
  rise: number;
  fall: number;
}

const HEALTH_CHECK_KEYS = Object.keys({
  path: true,
  interval: true,
  timeout: true,
  rise: true,
  fall: true,
} satisfies Record<keyof HealthCheckOptions, true>);

/** `healthCheck`: off when left out or false, the defaults with true, or HealthCheckOptions. */
export function resolveHealthCheck(input: unknown): ResolvedHealthCheck | undefined {
  if (input === undefined || input === false) return undefined;
  const given =
    input === true
      ? {}
      : checkOptionObject<HealthCheckOptions>(
          'healthCheck',
          input,
          HEALTH_CHECK_KEYS,
          'true, false or { path, interval, timeout, rise, fall }',
        );
  const path = checkString('healthCheck.path', given.path ?? '/readyz');
  if (!path.startsWith('/')) {
    throw new InvalidOptionError('healthCheck.path', 'a path starting with "/"', path);
  }
  return {
    path,
    intervalMs: checkDuration('healthCheck.interval', given.interval ?? 2_000, { min: 10 }),
    timeoutMs: checkDuration('healthCheck.timeout', given.timeout ?? 1_000, { min: 1 }),
    rise: checkInteger('healthCheck.rise', given.rise ?? 2, { min: 1 }),
    fall: checkInteger('healthCheck.fall', given.fall ?? 3, { min: 1 }),
  };
}

/**
 * One backend's rise/fall rule over its checks' outcomes, as HAProxy counts them: `fall` failed
 * checks in a row take a backend that is up out; `rise` good checks in a row bring back one that
 * is out — whatever took it out: its checks, too many failed requests, or the drain signal. A
 * streak counts within one state, so checks that passed before the backend left do not count
 * towards its return.
 */
export class ActiveHealth {
  readonly #options: Pick<ResolvedHealthCheck, 'rise' | 'fall'>;
  readonly #health: PassiveHealth;
  /** The state the streak below was counted in. */
  #countedIn: BackendState;
  #streak = 0;

  constructor(options: Pick<ResolvedHealthCheck, 'rise' | 'fall'>, health: PassiveHealth) {
    this.#options = options;
    this.#health = health;
    this.#countedIn = health.state;
  }

  /** One check's outcome. */
  record(passed: boolean): void {
    const { state } = this.#health;
    if (state !== this.#countedIn) {
      this.#countedIn = state;
      this.#streak = 0;
    }
    // Up, only failures in a row matter; out, only successes in a row.
    const counts = state === 'up' ? !passed : passed;
    this.#streak = counts ? this.#streak + 1 : 0;
    if (state === 'up' && this.#streak >= this.#options.fall) this.#health.takeOut();
    else if (state !== 'up' && this.#streak >= this.#options.rise) this.#health.bringBack();
  }
}
