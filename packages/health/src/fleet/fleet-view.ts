import type { GatherResult } from '@koa-fleet/contracts';
import type { HealthFleetStats } from '../fleet-types.js';
import type { CheckStatus } from '../internal/check-runner.js';

/** What each worker says about itself when the primary asks (`kf:health` / `report`). */
export interface WorkerHealthSummary {
  state: string;
  ready: boolean;
  status: CheckStatus;
  /** `name: output` of each check that is not passing. */
  problems: string[];
}

export interface FleetWorkerView {
  workerId: number;
  pid: number;
  state: string;
  generation: number;
  restarts: number;
  /** Lifecycle ready and no critical check failing (as far as the worker answered). */
  ready: boolean;
  /** The worker's own health status, or 'unknown' when it did not answer in time. */
  status: CheckStatus | 'unknown';
  problems: string[];
}

/** The whole fleet in one answer: "k of N workers ready" and each worker's state. */
export interface FleetView {
  status: CheckStatus;
  ready: number;
  desired: number;
  output: string;
  workers: FleetWorkerView[];
  time: string;
}

export function buildFleetView(
  stats: HealthFleetStats,
  reports: Array<GatherResult<WorkerHealthSummary>>,
): FleetView {
  const byPid = new Map(reports.map((report) => [report.pid, report]));
  const workers = stats.workers.map((worker): FleetWorkerView => {
    const report = byPid.get(worker.pid);
    const answered = report?.ok ? report.value : undefined;
    return {
      workerId: worker.workerId,
      pid: worker.pid,
      state: worker.state,
      generation: worker.generation,
      restarts: worker.restarts,
      // Without an answer, trust the supervisor's view of the lifecycle alone.
      ready: worker.state === 'ready' && (answered ? answered.ready : true),
      status: answered ? answered.status : 'unknown',
      problems: answered
        ? answered.problems
        : report
          ? [`no answer: ${report.ok ? '' : report.error}`]
          : [],
    };
  });
  const ready = workers.filter((worker) => worker.ready).length;
  const desired = stats.desired;
  const status: CheckStatus = ready === 0 ? 'fail' : ready < desired ? 'warn' : 'pass';
  return {
    status,
    ready,
    desired,
    output: `${ready} of ${desired} workers ready`,
    workers,
    time: new Date().toISOString(),
  };
}
