/**
 * The cluster rejects a request to a namespace nobody handles with `KF_IPC_NO_HANDLER`: under a
 * fleet that means the primary runs without `healthFleetPlugin()`. Matched by code, since the
 * error may come from another copy of the cluster package.
 */
export function isNoFleetPlugin(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'KF_IPC_NO_HANDLER';
}

export const NO_FLEET_PLUGIN =
  'the primary runs no healthFleetPlugin(): add it to startFleet({ plugins: [healthFleetPlugin()] }) (from @koa-fleet/health)';
