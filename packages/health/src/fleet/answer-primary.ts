import type { Registry } from 'prom-client';
import type { HealthWorkerIpc } from '../fleet-types.js';
import { HEALTH_NAMESPACE, METRICS_NAMESPACE } from '../internal/ipc-names.js';
import { metricsAsJson } from '../metrics/fleet-aggregator.js';
import type { HealthReport } from '../report.js';
import type { WorkerHealthSummary } from './fleet-view.js';

/** The worker's side of the fleet: its report and its metrics, when the primary gathers them. */
export function answerPrimary(
  ipc: HealthWorkerIpc,
  report: () => Promise<HealthReport>,
  registry: Registry,
): Array<() => void> {
  return [
    // Handler maps: the supervisor answers a type this copy does not know (a primary of another
    // version) with KF_IPC_UNKNOWN_TYPE.
    ipc.handle(HEALTH_NAMESPACE, {
      report: async (): Promise<WorkerHealthSummary> => {
        const current = await report();
        return {
          state: current.state,
          ready: current.ready,
          status: current.status,
          problems: current.checks
            .filter((check) => check.status !== 'pass')
            .map((check) => `${check.name}: ${check.output ?? check.status}`),
        };
      },
    }),
    ipc.handle(METRICS_NAMESPACE, { collect: () => metricsAsJson(registry) }),
  ];
}
