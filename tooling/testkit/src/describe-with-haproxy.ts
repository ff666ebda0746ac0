import { describeIf } from './internal/describe-if.js';
import { requireHaproxy } from './haproxy-available.js';

/**
 * `describe` for suites that need HAProxy: skipped when haproxy is missing, but failing at
 * collection under `CI=true`.
 *
 * describeWithHaproxy('behind HAProxy', () => { it(...) })
 */
export function describeWithHaproxy(name: string, factory: () => void): void {
  describeIf('describeWithHaproxy', () => requireHaproxy(), name, factory);
}
