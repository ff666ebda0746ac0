import { IPC_ERROR_CODES, isIpcError } from '@koa-fleet/contracts';

/**
 * The cluster rejects a request to a namespace nobody handles with `KF_IPC_NO_HANDLER`: under a
 * fleet that means the primary runs without `healthFleetPlugin()`. Matched by code, since the
 * error may come from another copy of the cluster package.
 */
export function isNoFleetPlugin(error: unknown): boolean {
  return isIpcError(error, IPC_ERROR_CODES.noHandler);
}

export const NO_FLEET_PLUGIN =
  'the primary runs no healthFleetPlugin(): add it to startFleet({ plugins: [healthFleetPlugin()] }) (from @koa-fleet/health)';
