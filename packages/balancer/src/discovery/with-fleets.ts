import type { AdminTarget } from '../admin/admin-target.js';
import type { FleetConnectionEvent, FleetWorkerEvent } from './discovery-types.js';
import type { FleetDirectory } from './fleet-directory.js';

/**
 * An admin target that also answers for `fleets` and streams their events: with `--workers`,
 * the primary's admin listener watches the fleets itself (each balancer process follows them on
 * its own, so the fleet waits for every process's ack).
 */
export function withFleets(target: AdminTarget, fleets: FleetDirectory): AdminTarget {
  return {
    info: () => target.info(),
    reload: () => target.reload(),
    list: () => target.list(),
    add: (config) => target.add(config),
    remove: (url) => target.remove(url),
    drain: (url) => target.drain(url),
    undrain: (url) => target.undrain(url),
    setWeight: (url, weight) => target.setWeight(url, weight),
    metrics: () => target.metrics(),
    subscribe(listener) {
      const stop = target.subscribe(listener);
      const worker = (data: FleetWorkerEvent) => listener({ event: 'fleet-worker', data });
      const connection = (data: FleetConnectionEvent) =>
        listener({ event: 'fleet-connection', data });
      fleets.on('fleet-worker', worker);
      fleets.on('fleet-connection', connection);
      return () => {
        stop();
        fleets.off('fleet-worker', worker);
        fleets.off('fleet-connection', connection);
      };
    },
    fleets,
  };
}
