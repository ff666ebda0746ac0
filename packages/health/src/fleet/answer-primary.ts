import type { Registry } from 'prom-client';
import { UnknownRequestError } from '../errors.js';
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
    ipc.handle(HEALTH_NAMESPACE, async (type): Promise<WorkerHealthSummary> => {
      if (type !== 'report') throw new UnknownRequestError(HEALTH_NAMESPACE, type);
      const current = await report();
      return {
        state: current.state,
        ready: current.ready,
        status: current.status,
        problems: current.checks
          .filter((check) => check.status !== 'pass')
          .map((check) => `${check.name}: ${check.output ?? check.status}`),
      };
    }),
    ipc.handle(METRICS_NAMESPACE, async (type) => {
      if (type !== 'collect') throw new UnknownRequestError(METRICS_NAMESPACE, type);
      return metricsAsJson(registry);
    }),
  ];
}
