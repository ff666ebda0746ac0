import type { CheckStatus } from './internal/check-runner.js';
import type { HealthReport } from './report.js';

/** application/health+json (draft-inadarei-api-health-check). */
export const HEALTH_JSON = 'application/health+json';

export interface HealthComponent {
  componentId?: string;
  componentType?: string;
  observedValue?: unknown;
  observedUnit?: string;
  status: CheckStatus;
  time?: string;
  output?: string;
}

export interface HealthJson {
  status: CheckStatus;
  output?: string;
  checks?: Record<string, HealthComponent[]>;
}

/** The body for one process. Without details a caller learns the status and nothing else. */
export function renderHealth(
  report: HealthReport,
  status: CheckStatus,
  details: boolean,
): HealthJson {
  if (!details) return { status };
  const checks: Record<string, HealthComponent[]> = {
    'process:lifecycle': [
      {
        componentType: 'system',
        observedValue: report.state,
        status: report.state === 'ready' ? 'pass' : 'warn',
        time: report.time,
      },
    ],
  };
  for (const result of report.checks) {
    const component: HealthComponent = { status: result.status, time: result.time };
    if (result.componentType !== undefined) component.componentType = result.componentType;
    if (result.observedValue !== undefined) component.observedValue = result.observedValue;
    if (result.observedUnit !== undefined) component.observedUnit = result.observedUnit;
    if (result.output !== undefined) component.output = result.output;
    checks[result.name] = [component];
  }
  const body: HealthJson = { status, checks };
  if (report.state !== 'ready') body.output = report.state;
  return body;
}
