import type { FleetLogger, FleetPlugin, PluginCleanup } from '@koa-fleet/contracts';
import type { ResolvedAdmin } from '../admin/admin-options.js';
import { AdminServer } from '../admin/admin-server.js';
import { FleetDirectory } from '../discovery/fleet-directory.js';
import { withFleets } from '../discovery/with-fleets.js';
import type { ResolvedBalancerOptions } from '../options.js';
import { FleetAdminTarget } from './fleet-admin-target.js';
import {
  BALANCER_NAMESPACE,
  type BalancerPrimaryIpc,
  type WorkerStateChange,
} from './fleet-types.js';

/** What the plugin's `setup` needs of the cluster's PrimaryContext. */
export interface BalancerPrimaryContext {
  ipc: BalancerPrimaryIpc;
  logger: FleetLogger;
}

/**
 * `--workers` with `admin`: the admin listener runs once, in the fleet's primary (a fleet plugin,
 * set up before the first worker forks), and reaches every balancer process over the cluster's
 * IPC. A port it cannot listen on stops the fleet from starting.
 */
export function balancerAdminPlugin(
  admin: ResolvedAdmin,
  options: ResolvedBalancerOptions,
): FleetPlugin & { setup(primary: BalancerPrimaryContext): Promise<PluginCleanup> } {
  return {
    name: '@koa-fleet/balancer',
    async setup({ ipc, logger }) {
      const target = new FleetAdminTarget(ipc, options, logger);
      const stopAnswering = ipc.handle(BALANCER_NAMESPACE, {
        changes: () => target.changes(),
        state: (change, from) => target.stateChanged(change as WorkerStateChange, from),
      });
      const fleets =
        options.fleets.length > 0
          ? new FleetDirectory(options.fleets, undefined, logger)
          : undefined;
      const server = new AdminServer(admin, fleets ? withFleets(target, fleets) : target, logger);
      try {
        await fleets?.open();
        const { url } = await server.listen();
        logger.info({ url }, `admin API on ${url}`);
      } catch (error) {
        stopAnswering();
        fleets?.close();
        throw error;
      }
      return async () => {
        stopAnswering();
        fleets?.close();
        await server.close();
      };
    },
  };
}
