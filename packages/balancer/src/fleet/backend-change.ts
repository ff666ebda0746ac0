import type { Balancer } from '../balancer.js';
import type { BackendConfig } from '../backend.js';
import { SNAPSHOTS } from '../internal/snapshots.js';
import type { MergeableStats } from '../stats/backend-stats.js';

/**
 * A change of the backend set as the primary sends it to every balancer process (`--workers`),
 * already checked there; `url` is the backend's resolved URL. The primary keeps every change made
 * since the fleet started, and a worker that starts later applies them all, in order, on top of
 * the config it read.
 */
export type BackendChange =
  | { op: 'add'; url: string; config: string | BackendConfig }
  | { op: 'remove'; url: string }
  | { op: 'drain'; url: string }
  | { op: 'undrain'; url: string }
  | { op: 'weight'; url: string; weight: number };

/**
 * Applies a change to this process's balancer and answers the backend's stats after it (for a
 * removal, its last ones). Applying one twice changes nothing more, since a worker that starts
 * while a change goes out may get it both in the list it asked for and from the primary.
 */
export async function applyChange(
  balancer: Balancer,
  change: BackendChange,
): Promise<MergeableStats | undefined> {
  const has = balancer.backends.some((backend) => backend.url === change.url);
  switch (change.op) {
    case 'add':
      if (!has) balancer.addBackend(change.config);
      break;
    case 'remove':
      return has ? await balancer.removeBackend(change.url) : undefined;
    case 'drain':
      if (has) balancer.drainBackend(change.url);
      break;
    case 'undrain':
      if (has) balancer.undrainBackend(change.url);
      break;
    case 'weight':
      if (has) balancer.setWeight(change.url, change.weight);
      break;
  }
  return balancer[SNAPSHOTS]().find((snapshot) => snapshot.url === change.url);
}

/**
 * The changes a worker that starts now must apply, with `change` added: what a later change
 * makes moot is left out (an earlier drain or undrain of the same backend, an earlier weight, and
 * everything about a backend that is removed — its addition too), so the list stays as long as
 * the set of backends changed, however many changes were made.
 */
export function withChange(
  changes: readonly BackendChange[],
  change: BackendChange,
): BackendChange[] {
  const { url, op } = change;
  // The backend's current life: what came after its last removal.
  let life = 0;
  changes.forEach((earlier, index) => {
    if (earlier.url === url && earlier.op === 'remove') life = index + 1;
  });
  const ofThisLife = (earlier: BackendChange, index: number) =>
    index >= life && earlier.url === url;
  const toggles = (earlier: BackendChange) => earlier.op === 'drain' || earlier.op === 'undrain';
  switch (op) {
    case 'drain':
    case 'undrain':
      return [
        ...changes.filter((earlier, i) => !(ofThisLife(earlier, i) && toggles(earlier))),
        change,
      ];
    case 'weight':
      return [
        ...changes.filter((earlier, i) => !(ofThisLife(earlier, i) && earlier.op === 'weight')),
        change,
      ];
    case 'remove': {
      const added = changes.some((earlier, i) => ofThisLife(earlier, i) && earlier.op === 'add');
      const kept = changes.filter((earlier, i) => !ofThisLife(earlier, i));
      // A backend added since its last removal never was, for a worker that starts now.
      return added ? kept : [...kept, change];
    }
    case 'add':
      return [...changes, change];
  }
}
