import type { LifecycleState } from '@koa-fleet/contracts';
import type { CheckResult, CheckRunner, CheckStatus } from './internal/check-runner.js';

/** One process's health at one moment: its lifecycle state and every check's latest result. */
export interface HealthReport {
  state: LifecycleState;
  checks: CheckResult[];
  /** Whether this process should receive traffic: ready, and no critical check failing. */
  ready: boolean;
  /** health+json status: fail on a critical failure, warn on a non-critical one or when not ready. */
  status: CheckStatus;
  time: string;
}

export async function buildReport(
  state: LifecycleState,
  runners: CheckRunner[],
): Promise<HealthReport> {
  const checks = await Promise.all(runners.map((runner) => runner.result()));
  const failing = checks.some((check) => check.status === 'fail');
  const warning = checks.some((check) => check.status === 'warn');
  // Draining or starting is expected behaviour, not ill health: it warns on /healthz, while
  // /readyz (which reads `ready`) turns 503.
  const status: CheckStatus = failing ? 'fail' : warning || state !== 'ready' ? 'warn' : 'pass';
  return {
    state,
    checks,
    ready: state === 'ready' && !failing,
    status,
    time: new Date().toISOString(),
  };
}
