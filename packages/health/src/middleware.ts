import type { Context, Middleware, Next } from 'koa';
import type { Registry } from 'prom-client';
import { canSeeDetails } from './exposure.js';
import { answerPrimary } from './fleet/answer-primary.js';
import { fleetRoute } from './fleet/fleet-route.js';
import { CheckRunner } from './internal/check-runner.js';
import { httpMetricsOn } from './metrics/http-metrics.js';
import { metricsRoute } from './metrics/metrics-route.js';
import { registerProcessMetrics } from './metrics/process-metrics.js';
import { resolveOptions, type HealthOptions } from './options.js';
import { ProbeState } from './probe-state.js';
import { buildReport, type HealthReport } from './report.js';
import { healthRoute, liveRoute, readyRoute } from './routes/probe-routes.js';
import { findRoute, type Route } from './routes/route.js';
import { planShutdown } from './shutdown.js';

export interface HealthMiddleware extends Middleware {
  /** Readiness state; `markReady()` after a `startReady: false` start, `drain()` by hand. */
  readonly probe: ProbeState;
  /** The prom-client Registry the metrics live on; other packages register theirs here too. */
  readonly registry: Registry;
  /** This process's current report (runs the checks, honouring their cache interval). */
  report(): Promise<HealthReport>;
  /** Start the orchestrator-friendly shutdown: 503 now, `onShutdown` after `shutdownDelay`. */
  shutdown(signal?: NodeJS.Signals): Promise<void>;
  /** Remove signal listeners and IPC handlers (for tests and hot reloads). */
  close(): void;
}

/**
 * Koa middleware for /livez, /readyz, /healthz (health+json), the fleet view and /metrics.
 * Works in any Koa app; given a supervisor's `lifecycle` and `fleet` IPC it becomes fleet-aware.
 */
export function health(options: HealthOptions = {}): HealthMiddleware {
  const config = resolveOptions(options);
  const probe = new ProbeState(config.lifecycle, config.startReady);
  const runners = config.checks.map(
    ({ check, timeoutMs, intervalMs }) => new CheckRunner(check, timeoutMs, intervalMs),
  );
  const report = () => buildReport(probe.state, runners);
  const details = (ctx: Context) => canSeeDetails(ctx, config.exposure);

  const { paths, fleet } = config;
  const routes = new Map<string, Route>();
  const probeContext = { probe, runners, report, details };
  if (paths.live) routes.set(paths.live, liveRoute());
  if (paths.ready) routes.set(paths.ready, readyRoute(probeContext));
  if (paths.health) routes.set(paths.health, healthRoute(probeContext));
  if (paths.fleet && fleet)
    routes.set(paths.fleet, fleetRoute(fleet, config.fleetTimeoutMs, details));
  if (paths.metrics && config.metrics) {
    routes.set(paths.metrics, metricsRoute(config.registry, fleet, config.fleetTimeoutMs));
  }

  const httpMetrics = config.metrics ? httpMetricsOn(config.registry, config.metrics) : undefined;
  if (config.metrics) registerProcessMetrics(config.registry, config.metrics.prefix);
  const unsubscribe = fleet ? answerPrimary(fleet, report, config.registry) : [];
  const { shutdown, uninstall } = planShutdown(probe, config.shutdown);

  const middleware = async (ctx: Context, next: Next): Promise<void> => {
    const route = findRoute(routes, ctx.req);
    if (route) return route(ctx);
    if (!httpMetrics) return next();
    const started = performance.now();
    httpMetrics.inFlight++;
    try {
      await next();
      httpMetrics.record(ctx, ctx.status, started);
    } catch (error) {
      // Koa has not set the status yet; it will use the error's, or 500.
      httpMetrics.record(ctx, errorStatus(error), started);
      throw error;
    } finally {
      httpMetrics.inFlight--;
    }
  };

  return Object.assign(middleware, {
    probe,
    registry: config.registry,
    report,
    shutdown,
    close() {
      uninstall();
      for (const stop of unsubscribe) stop();
    },
  });
}

function errorStatus(error: unknown): number {
  const { status, statusCode } = (error ?? {}) as { status?: unknown; statusCode?: unknown };
  const given = status ?? statusCode;
  return typeof given === 'number' && given >= 400 && given < 600 ? given : 500;
}
