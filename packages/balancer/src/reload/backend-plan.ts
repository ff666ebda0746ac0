import { isDeepStrictEqual } from 'node:util';
import type { ResolvedBackend } from '../backend.js';
import type { ReweightedBackend } from './reload-result.js';

/** How a reload turns the backends the balancer has into those of the new config. */
export interface BackendPlan {
  add: ResolvedBackend[];
  remove: string[];
  reweight: ReweightedBackend[];
  /** Same URL, other settings than the weight changed: taken in place (the weight with them). */
  reconfigure: ResolvedBackend[];
}

/**
 * The difference between the backends now (`current`: each one's resolved config and weight now)
 * and those of a new config, matched by URL: what is neither added, removed nor changed is left
 * alone, its state, connections and counters with it.
 */
export function planBackends(
  current: readonly ResolvedBackend[],
  next: readonly ResolvedBackend[],
): BackendPlan {
  const now = new Map(current.map((backend) => [backend.url, backend]));
  const wanted = new Set(next.map((backend) => backend.url));
  const plan: BackendPlan = { add: [], remove: [], reweight: [], reconfigure: [] };
  for (const backend of next) {
    const had = now.get(backend.url);
    if (!had) {
      plan.add.push(backend);
      continue;
    }
    if (had.weight !== backend.weight) {
      plan.reweight.push({ url: backend.url, weight: backend.weight, previous: had.weight });
    }
    if (!isDeepStrictEqual({ ...had, weight: 0 }, { ...backend, weight: 0 })) {
      plan.reconfigure.push(backend);
    }
  }
  for (const backend of current) {
    if (!wanted.has(backend.url)) plan.remove.push(backend.url);
  }
  return plan;
}
