import {
  checkBoolean,
  checkDuration,
  checkFunction,
  checkString,
  InvalidOptionError,
} from '@koa-fleet/errors';
import type { HealthCheck } from '../health-check.js';

/** A check with its timeout and cache interval settled (its own, else the middleware's). */
export interface ResolvedCheck {
  check: HealthCheck;
  timeoutMs: number;
  intervalMs: number;
}

/** The options that settle the checks; the values are checked here, so any may be wrong. */
export interface ChecksInput {
  checks?: unknown;
  checkTimeout?: unknown;
  checkInterval?: unknown;
}

/**
 * `checks`, with `checkTimeout` (below Kubernetes' 1 s probe timeout) and `checkInterval` for
 * checks that set none of their own. A check may come from any package (seam 7), not only from
 * defineCheck(), so each one is checked by its shape; names must be unique, as they key the report.
 */
export function resolveChecks(input: ChecksInput): ResolvedCheck[] {
  const timeoutMs = checkDuration('checkTimeout', input.checkTimeout ?? 800, { min: 1 });
  const intervalMs = checkDuration('checkInterval', input.checkInterval ?? 1_000);
  const checks = input.checks ?? [];
  if (!Array.isArray(checks)) throw new InvalidOptionError('checks', 'an array of checks', checks);
  const names = new Set<string>();
  return checks.map((check: Partial<HealthCheck> | null, index): ResolvedCheck => {
    const option = `checks[${index}]`;
    if (typeof check !== 'object' || check === null) {
      throw new InvalidOptionError(option, 'a check object', check);
    }
    const name = checkString(`${option}.name`, check.name);
    checkFunction(`${option}.check`, check.check);
    if (names.has(name)) throw new InvalidOptionError(`${option}.name`, 'a unique name', name);
    names.add(name);
    if (check.critical !== undefined) checkBoolean(`${option}.critical`, check.critical);
    return {
      check: check as HealthCheck,
      timeoutMs:
        check.timeout === undefined
          ? timeoutMs
          : checkDuration(`${option}.timeout`, check.timeout, { min: 1 }),
      intervalMs:
        check.interval === undefined
          ? intervalMs
          : checkDuration(`${option}.interval`, check.interval),
    };
  });
}
