import {
  checkBoolean,
  checkDuration,
  checkFunction,
  checkKnownKeys,
  checkString,
} from '@koa-fleet/errors';

/** What a check may report when it resolves; resolving means pass unless it says `warn`. */
export interface CheckObservation {
  observedValue?: unknown;
  observedUnit?: string;
  output?: string;
  /** A check that works but sees trouble coming (e.g. lag past its warn level). */
  status?: 'pass' | 'warn';
}

/**
 * Seam 7 of docs/architecture.md: any package that owns a dependency can offer an object of this
 * shape. `timeout` and `interval` are this package's optional additions; without them the
 * middleware's `checkTimeout` and `checkInterval` apply.
 */
export interface HealthCheck {
  name: string;
  /** Default true: a failure turns /readyz red. A non-critical failure only warns. */
  critical?: boolean;
  /** IETF health+json componentType, e.g. 'datastore', 'system'. */
  componentType?: string;
  /** Milliseconds or text such as '2s'. */
  timeout?: number | string;
  /** How long a result is reused, so frequent probes do not hammer the dependency. */
  interval?: number | string;
  check(): Promise<CheckObservation | void>;
}

export interface DefineCheckOptions {
  critical?: boolean;
  componentType?: string;
  timeout?: number | string;
  interval?: number | string;
}

/** Every check's own options; the built-in checks' key lists add theirs to these. */
export const DEFINE_CHECK_KEYS = {
  critical: true,
  componentType: true,
  timeout: true,
  interval: true,
} satisfies Record<keyof DefineCheckOptions, true>;

const KEYS = Object.keys(DEFINE_CHECK_KEYS);

/** Builds a HealthCheck from an async function, validating its options now. */
export function defineCheck(
  name: string,
  fn: () => Promise<CheckObservation | void> | CheckObservation | void,
  options: DefineCheckOptions = {},
): HealthCheck {
  checkString('name', name);
  checkFunction('check', fn);
  checkKnownKeys('', options, KEYS);
  const check: HealthCheck = { name, check: async () => fn() };
  if (options.critical !== undefined) check.critical = checkBoolean('critical', options.critical);
  if (options.componentType !== undefined) {
    check.componentType = checkString('componentType', options.componentType);
  }
  if (options.timeout !== undefined) {
    checkDuration('timeout', options.timeout, { min: 1 });
    check.timeout = options.timeout;
  }
  if (options.interval !== undefined) {
    checkDuration('interval', options.interval);
    check.interval = options.interval;
  }
  return check;
}
