import type { Registry } from 'prom-client';
import type { HealthWorkerIpc } from '../fleet-types.js';
import type { FleetScrape } from '../fleet/plugin.js';
import { METRICS_NAMESPACE } from '../internal/ipc-names.js';
import { isNoFleetPlugin } from '../internal/no-fleet-plugin.js';
import type { Route } from '../routes/route.js';

/**
 * Prometheus text. Under a fleet the primary answers for every worker. Without a fleet plugin
 * (KF_IPC_NO_HANDLER) this worker's own figures are served; but if the primary is there and does
 * not answer, the scrape fails (503) rather than pass one worker's counters off as the fleet's —
 * a dip in a summed counter would read as a reset and make `rate()` jump.
 */
export function metricsRoute(
  registry: Registry,
  fleet: HealthWorkerIpc | undefined,
  timeout: number,
): Route {
  return async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    let scrape: FleetScrape | undefined;
    if (fleet) {
      try {
        scrape = await fleet.request<FleetScrape>(METRICS_NAMESPACE, 'scrape', undefined, {
          timeout,
        });
      } catch (error) {
        if (!isNoFleetPlugin(error)) {
          ctx.status = 503;
          ctx.body = `fleet metrics unavailable: ${(error as Error).message}\n`;
          return;
        }
      }
    }
    ctx.status = 200;
    ctx.type = scrape?.contentType ?? registry.contentType;
    ctx.body = scrape?.text ?? (await registry.metrics());
  };
}
