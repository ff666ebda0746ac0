import { plural } from '../internal/plural.js';
import type { ReloadResult } from './reload-result.js';

/** `2 backends added, 1 backend removed`, or `nothing changed`: what a reload did, for its log line. */
export function reloadSummary(result: ReloadResult): string {
  const parts = [
    result.added.length > 0 && `${plural(result.added.length, 'backend')} added`,
    result.removed.length > 0 && `${plural(result.removed.length, 'backend')} removed`,
    result.reweighted.length > 0 && `${plural(result.reweighted.length, 'backend')} reweighted`,
    result.reconfigured.length > 0 &&
      `${plural(result.reconfigured.length, 'backend')} reconfigured`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'nothing changed';
}
