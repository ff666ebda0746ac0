import type { Balancer } from '../balancer.js';
import type { FleetConnectionEvent, FleetWorkerEvent } from '../discovery/discovery-types.js';
import { FLEET_DIRECTORY } from '../discovery/fleet-backends.js';
import type { Backend, BackendConfig } from '../backend.js';
import type { BackendChange } from '../backend-set.js';
import { UnknownBackendError } from '../errors.js';
import type { ReloadResult } from '../reload/reload-result.js';
import type { BackendStats } from '../stats/backend-stats.js';
import type { AdminTarget } from './admin-target.js';
import type { AdminBackend, AdminEvent, AdminInfo } from './admin-types.js';
import { normalised } from './admin-server.js';

export function adminBackend(stats: BackendStats): AdminBackend {
  return { id: encodeURIComponent(stats.url), ...stats };
}

/** The admin API over the one balancer of this process; `info` says which one it is. */
export function localAdminTarget(balancer: Balancer, info: AdminInfo): AdminTarget {
  const one = (url: string): AdminBackend => {
    const found = balancer.stats().find((stats) => stats.url === normalised(url));
    if (!found) throw new UnknownBackendError(url);
    return adminBackend(found);
  };
  return {
    info: async () => info,
    list: async () => balancer.stats().map(adminBackend),
    add: async (config) => one(balancer.addBackend(config as string | BackendConfig).url),
    remove: async (url) => adminBackend(await balancer.removeBackend(url)),
    drain: async (url) => one(balancer.drainBackend(url).url),
    undrain: async (url) => one(balancer.undrainBackend(url).url),
    setWeight: async (url, weight) => one(balancer.setWeight(url, weight as number).url),
    reload: () => balancer.reloadFromSource(),
    metrics: async () => ({
      contentType: balancer.registry.contentType,
      text: await balancer.registry.metrics(),
    }),
    subscribe(listener: (event: AdminEvent) => void) {
      const at = () => new Date().toISOString();
      const state = ({ backend, state: now, previous }: BackendChange) =>
        listener({
          event: 'backend-state',
          data: { backend: backend.url, state: now, previous, at: at() },
        });
      const added = (backend: Backend) =>
        listener({ event: 'backend-added', data: { backend: one(backend.url), at: at() } });
      const removed = (backend: Backend) =>
        listener({ event: 'backend-removed', data: { backend: backend.url, at: at() } });
      const reloaded = (result: ReloadResult) =>
        listener({ event: 'config-reloaded', data: { ...result, at: at() } });
      const fleetWorker = (data: FleetWorkerEvent) => listener({ event: 'fleet-worker', data });
      const fleetConnection = (data: FleetConnectionEvent) =>
        listener({ event: 'fleet-connection', data });
      balancer.on('backend-state', state);
      balancer.on('backend-added', added);
      balancer.on('backend-removed', removed);
      balancer.on('fleet-worker', fleetWorker);
      balancer.on('fleet-connection', fleetConnection);
      balancer.on('reloaded', reloaded);
      return () => {
        balancer.off('backend-state', state);
        balancer.off('backend-added', added);
        balancer.off('backend-removed', removed);
        balancer.off('fleet-worker', fleetWorker);
        balancer.off('fleet-connection', fleetConnection);
        balancer.off('reloaded', reloaded);
      };
    },
    fleets: balancer[FLEET_DIRECTORY](),
  };
}
