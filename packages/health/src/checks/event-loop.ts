import { checkKnownKeys, checkNumber } from '@koa-fleet/errors';
import { CheckFailedError } from '../errors.js';
import {
  DEFINE_CHECK_KEYS,
  defineCheck,
  type DefineCheckOptions,
  type HealthCheck,
} from '../health-check.js';
import { eventLoopMonitor } from '../internal/event-loop-monitor.js';

export interface EventLoopCheckOptions extends DefineCheckOptions {
  /** Default 'eventloop:delay'. */
  name?: string;
  /** p99 delay at which the check warns. Default 200. */
  warnMs?: number;
  /** p99 delay at which the check fails. Default 1000. */
  failMs?: number;
}

const KEYS = Object.keys({
  ...DEFINE_CHECK_KEYS,
  name: true,
  warnMs: true,
  failMs: true,
} satisfies Record<keyof EventLoopCheckOptions, true>);

/**
 * Watches the event loop's p99 delay (monitorEventLoopDelay, last 5 s window). Non-critical by
 * default: a busy worker should warn, not leave rotation while it works through its backlog.
 */
export function eventLoopDelayCheck(options: EventLoopCheckOptions = {}): HealthCheck {
  checkKnownKeys('', options, KEYS);
  const { name = 'eventloop:delay', warnMs = 200, failMs = 1000, ...rest } = options;
  checkNumber('warnMs', warnMs, { min: 0 });
  checkNumber('failMs', failMs, { min: warnMs });
  eventLoopMonitor.read(); // start sampling now, so the first probe has data
  return defineCheck(
    name,
    () => {
      const p99 = Math.round(eventLoopMonitor.read().p99Ms * 100) / 100;
      const observed = { observedValue: p99, observedUnit: 'ms' };
      if (p99 >= failMs)
        throw new CheckFailedError(`event loop p99 delay ${p99} ms ≥ ${failMs} ms`);
      if (p99 >= warnMs)
        return { ...observed, status: 'warn', output: `p99 delay ${p99} ms ≥ ${warnMs} ms` };
      return observed;
    },
    { componentType: 'system', critical: false, ...rest },
  );
}
