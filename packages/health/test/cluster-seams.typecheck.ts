// Compile-time proof (checked by `pnpm typecheck`, not run) that this package's structural seam
// types accept what @koa-fleet/cluster hands over, and that the plugin fits startFleet's plugins.
import type {
  FleetOptions,
  WorkerContext,
  PrimaryContext as ClusterPrimary,
} from '@koa-fleet/cluster';
import { health, healthFleetPlugin, type HealthPrimaryContext } from '../src/index.js';

export function workerSide(worker: WorkerContext) {
  return health({ lifecycle: worker.lifecycle, fleet: worker.ipc });
}

export function primarySide(primary: ClusterPrimary): HealthPrimaryContext {
  return primary;
}

export const plugins: FleetOptions['plugins'] = [healthFleetPlugin()];
