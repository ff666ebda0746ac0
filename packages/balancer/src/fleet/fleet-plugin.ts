import type { FleetLogger, FleetPlugin, IpcSender, PluginCleanup } from '@koa-fleet/contracts';
import { AdminServer } from '../admin/admin-server.js';
import { FleetDirectory } from '../discovery/fleet-directory.js';
import { withFleets } from '../discovery/with-fleets.js';
import type { BalancerConfig } from '../options.js';
import { FleetAdminTarget } from './fleet-admin-target.js';
import { FleetConfig } from './fleet-config.js';
import {
  BALANCER_NAMESPACE,
  type BackendDown,
  type BalancerPrimaryIpc,
  type FleetStart,
  type WorkerStateChange,
} from './fleet-types.js';

/** What the plugin's `setup` needs of the cluster's PrimaryContext. */
export interface BalancerPrimaryContext {
  ipc: BalancerPrimaryIpc;
  logger: FleetLogger;
}

/**
 * `--workers`: the balancer's part of the fleet's primary (a fleet plugin, set up before the
 * first worker forks). It holds the fleet's config, which every balancer process starts from and
 * SIGHUP (with a `source`, the `--config` file) reloads in every one; it passes a backend one
 * process took out for its failures on to the others; and with `admin` it runs the admin listener,
 * once, reaching every process over the cluster's IPC. A port it cannot listen on stops the fleet
 * from starting.
 */
export function balancerFleetPlugin(
  config: BalancerConfig,
  source: (() => Promise<BalancerConfig>) | undefined,
  workers: number,
): FleetPlugin & { setup(primary: BalancerPrimaryContext): Promise<PluginCleanup> } {
  return {
    name: '@koa-fleet/balancer',
    async setup({ ipc, logger }) {
      const fleetConfig = new FleetConfig(config, source, ipc, logger);
      const { admin } = fleetConfig.resolved;
      const target = admin && new FleetAdminTarget(ipc, fleetConfig, logger, workers);
      const stopAnswering = ipc.handle(BALANCER_NAMESPACE, {
        start: (): FleetStart => ({ config: fleetConfig.config, changes: target?.changes() ?? [] }),
        state: (change, from) => target?.stateChanged(change as WorkerStateChange, from),
        down: (down, from: IpcSender) => {
          const { backend } = down as BackendDown;
          logger.warn(
            { backend, workerId: from.workerId },
            `backend ${backend} is down in balancer worker ${from.workerId}: taking it out in every one`,
          );
          ipc.broadcast(BALANCER_NAMESPACE, 'down', down);
        },
      });
      // The cluster's own SIGHUP handler replaces the workers; the replacements start from the
      // config this reload makes the fleet's (or from the one in use, if the file is refused).
      const onHangUp = () => void fleetConfig.reload().catch(() => {});
      if (source) process.on('SIGHUP', onHangUp);
      // The followed fleets, for the admin API: watched here too (each balancer process follows
      // them on its own, so a fleet waits for every process's ack before it drains a worker).
      const { fleets: followed } = fleetConfig.resolved;
      const fleets =
        target && followed.length > 0 ? new FleetDirectory(followed, undefined, logger) : undefined;
      const server =
        target && new AdminServer(admin, fleets ? withFleets(target, fleets) : target, logger);
      try {
        await fleets?.open();
        if (server) {
          const { url } = await server.listen();
          logger.info({ url }, `admin API on ${url}`);
        }
      } catch (error) {
        process.off('SIGHUP', onHangUp);
        stopAnswering();
        fleets?.close();
        throw error;
      }
      return async () => {
        process.off('SIGHUP', onHangUp);
        stopAnswering();
        fleets?.close();
        await server?.close();
      };
    },
  };
}
