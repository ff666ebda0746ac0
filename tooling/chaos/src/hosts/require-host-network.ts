import { netnsUnavailableReason, requireNetns, type Skippable } from '@koa-fleet/testkit';
import { reportSkipped } from '../results/record-scenario.js';
import type { ScenarioReport } from '../results/scenario-report.js';

/**
 * For a scenario on network-namespace hosts: true when they can be made here. Otherwise the
 * scenario is reported skipped, with the reason, and skipped through `ctx` — except under
 * `CI=true`, where this throws: a runner that cannot run it must not pass.
 */
export function requireHostNetwork(
  ctx: Skippable,
  scenario: Pick<ScenarioReport, 'order' | 'title' | 'proves'>,
): boolean {
  const reason = netnsUnavailableReason();
  if (reason !== undefined && process.env.CI !== 'true') {
    reportSkipped(scenario, `network namespaces are not available: ${reason}`);
  }
  return requireNetns(ctx);
}
