import { describeIf } from './internal/describe-if.js';
import { requireNginx } from './nginx-available.js';

/**
 * `describe` for suites that need nginx: skipped when nginx is missing, but failing at
 * collection under `CI=true`.
 *
 * describeWithNginx('behind nginx', () => { it(...) })
 */
export function describeWithNginx(name: string, factory: () => void): void {
  describeIf('describeWithNginx', () => requireNginx(), name, factory);
}
