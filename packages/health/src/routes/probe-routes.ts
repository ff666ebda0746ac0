import type { Context } from 'koa';
import type { CheckRunner } from '../internal/check-runner.js';
import { renderHealth } from '../health-json.js';
import type { ProbeState } from '../probe-state.js';
import { buildReport, type HealthReport } from '../report.js';
import { sendHealth, type Route } from './route.js';

export interface ProbeRouteContext {
  probe: ProbeState;
  runners: CheckRunner[];
  report: () => Promise<HealthReport>;
  details: (ctx: Context) => boolean;
}

/** Answering at all proves the event loop turns; a blocked loop fails the probe by its timeout. */
export function liveRoute(): Route {
  return async (ctx) => sendHealth(ctx, 200, { status: 'pass' });
}

/** 503 unless ready and no critical check fails. */
export function readyRoute({ probe, runners, report, details }: ProbeRouteContext): Route {
  return async (ctx) => {
    const showDetails = details(ctx);
    // Not ready means no traffic whatever the checks say: only run them for a caller who sees them.
    const current =
      probe.state === 'ready'
        ? await report()
        : await buildReport(probe.state, showDetails ? runners : []);
    const status = current.ready ? current.status : 'fail';
    sendHealth(ctx, current.ready ? 200 : 503, renderHealth(current, status, showDetails));
  };
}

/** The full report: 503 only on a critical failure. */
export function healthRoute({ report, details }: ProbeRouteContext): Route {
  return async (ctx) => {
    const current = await report();
    sendHealth(
      ctx,
      current.status === 'fail' ? 503 : 200,
      renderHealth(current, current.status, details(ctx)),
    );
  };
}
