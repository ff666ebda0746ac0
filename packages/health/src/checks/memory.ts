import { checkBytes, checkKnownKeys } from '@koa-fleet/errors';
import { CheckFailedError } from '../errors.js';
import {
  DEFINE_CHECK_KEYS,
  defineCheck,
  type DefineCheckOptions,
  type HealthCheck,
} from '../health-check.js';

export interface MemoryCheckOptions extends DefineCheckOptions {
  /** Default 'memory'. */
  name?: string;
  /** Resident set size at which the check fails: bytes or text such as '512mb'. */
  maxRss?: number | string;
  /** Used V8 heap at which the check fails. */
  maxHeapUsed?: number | string;
  /** RSS at which the check warns. */
  warnRss?: number | string;
}

const KEYS = Object.keys({
  ...DEFINE_CHECK_KEYS,
  name: true,
  maxRss: true,
  maxHeapUsed: true,
  warnRss: true,
} satisfies Record<keyof MemoryCheckOptions, true>);

/** Observes RSS (bytes) and fails past `maxRss` or `maxHeapUsed`; warns past `warnRss`. */
export function memoryCheck(options: MemoryCheckOptions = {}): HealthCheck {
  checkKnownKeys('', options, KEYS);
  const { name = 'memory', maxRss, maxHeapUsed, warnRss, ...rest } = options;
  const limits = {
    maxRss: maxRss === undefined ? Infinity : checkBytes('maxRss', maxRss, { min: 1 }),
    maxHeapUsed:
      maxHeapUsed === undefined ? Infinity : checkBytes('maxHeapUsed', maxHeapUsed, { min: 1 }),
    warnRss: warnRss === undefined ? Infinity : checkBytes('warnRss', warnRss, { min: 1 }),
  };
  return defineCheck(
    name,
    () => {
      const { rss, heapUsed } = process.memoryUsage();
      if (rss >= limits.maxRss)
        throw new CheckFailedError(`rss ${rss} bytes ≥ maxRss ${limits.maxRss}`);
      if (heapUsed >= limits.maxHeapUsed) {
        throw new CheckFailedError(
          `heap used ${heapUsed} bytes ≥ maxHeapUsed ${limits.maxHeapUsed}`,
        );
      }
      const observed = { observedValue: rss, observedUnit: 'bytes' };
      if (rss >= limits.warnRss)
        return { ...observed, status: 'warn', output: `rss ≥ warnRss ${limits.warnRss}` };
      return observed;
    },
    { componentType: 'system', ...rest },
  );
}
