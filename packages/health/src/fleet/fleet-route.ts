import type { Context } from 'koa';
import type { HealthWorkerIpc } from '../fleet-types.js';
import type { HealthJson } from '../health-json.js';
import { HEALTH_NAMESPACE } from '../internal/ipc-names.js';
import { isNoFleetPlugin, NO_FLEET_PLUGIN } from '../internal/no-fleet-plugin.js';
import { sendHealth, type Route } from '../routes/route.js';
import type { FleetView } from './fleet-view.js';

/** Asks the primary for the whole fleet, so one probe sees every worker, not just this one. */
export function fleetRoute(
  ipc: HealthWorkerIpc,
  timeout: number,
  details: (ctx: Context) => boolean,
): Route {
  return async (ctx) => {
    try {
      const view = await ipc.request<FleetView>(HEALTH_NAMESPACE, 'fleet', undefined, { timeout });
      sendHealth(ctx, view.status === 'fail' ? 503 : 200, renderFleet(view, details(ctx)));
    } catch (error) {
      const body: HealthJson = { status: 'fail' };
      const reason = isNoFleetPlugin(error) ? NO_FLEET_PLUGIN : (error as Error).message;
      if (details(ctx)) body.output = `fleet view unavailable: ${reason}`;
      sendHealth(ctx, 503, body);
    }
  };
}

function renderFleet(view: FleetView, details: boolean): HealthJson {
  if (!details) return { status: view.status };
  return {
    status: view.status,
    output: view.output,
    checks: {
      'fleet:workers': view.workers.map((worker) => ({
        componentId: String(worker.workerId),
        componentType: 'system',
        observedValue: worker.state,
        status: worker.ready ? (worker.status === 'warn' ? 'warn' : 'pass') : 'fail',
        time: view.time,
        output: [
          `pid ${worker.pid}`,
          `generation ${worker.generation}`,
          `restarts ${worker.restarts}`,
          ...worker.problems,
        ].join('; '),
      })),
    },
  };
}
