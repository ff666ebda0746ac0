import type { IncomingMessage } from 'node:http';
import type { Context, Middleware, Next } from 'koa';
import type { Registry } from 'prom-client';
import { canSeeDetails } from './exposure.js';
import type { FleetView, WorkerHealthSummary } from './fleet/fleet-view.js';
import type { FleetScrape } from './fleet/plugin.js';
import { HEALTH_JSON, renderHealth, type HealthJson } from './health-json.js';
import { CheckRunner } from './internal/check-runner.js';
import { HEALTH_NAMESPACE, METRICS_NAMESPACE } from './internal/ipc-names.js';
import { metricsAsJson } from './metrics/fleet-aggregator.js';
import { HttpMetrics } from './metrics/http-metrics.js';
import { registerProcessMetrics } from './metrics/process-metrics.js';
import { resolveOptions, type HealthOptions, type ResolvedOptions } from './options.js';
import { ProbeState } from './probe-state.js';
import { buildReport, type HealthReport } from './report.js';
import { planShutdown } from './shutdown.js';
import { checkDuration } from '@koa-fleet/errors';

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

type Route = (ctx: Context) => Promise<void>;

/**
 * Koa middleware for /livez, /readyz, /healthz (health+json), the fleet view and /metrics.
 * Works in any Koa app; given a supervisor's `lifecycle` and `fleet` IPC it becomes fleet-aware.
 */
export function health(options: HealthOptions = {}): HealthMiddleware {
  const config = resolveOptions(options);
  const probe = new ProbeState(config.lifecycle, config.startReady);
  const runners = config.checks.map(
    (check) =>
      new CheckRunner(
        check,
        check.timeout === undefined
          ? config.checkTimeoutMs
          : checkDuration('timeout', check.timeout),
        check.interval === undefined
          ? config.checkIntervalMs
          : checkDuration('interval', check.interval),
      ),
  );
  const report = () => buildReport(probe.state, runners);
  const httpMetrics = config.metrics ? HttpMetrics.on(config.registry, config.metrics) : undefined;
  if (config.metrics) registerProcessMetrics(config.registry, config.metrics.prefix);
  const routes = buildRoutes(config, probe, report, runners);
  const unsubscribe = config.fleet ? answerPrimary(config, report) : [];
  const { shutdown, uninstall } = planShutdown(probe, {
    signals: config.shutdownSignals,
    delayMs: config.shutdownDelayMs,
    onShutdown: config.onShutdown,
  });

  const middleware = async (ctx: Context, next: Next): Promise<void> => {
    const route = probeRoute(routes, ctx.req);
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

function buildRoutes(
  config: ResolvedOptions,
  probe: ProbeState,
  report: () => Promise<HealthReport>,
  runners: CheckRunner[],
): Map<string, Route> {
  const routes = new Map<string, Route>();
  const { paths } = config;
  const details = (ctx: Context) => canSeeDetails(ctx, config);

  if (paths.live) {
    // Answering at all proves the event loop turns; a blocked loop fails the probe by timeout.
    routes.set(paths.live, async (ctx) => send(ctx, 200, { status: 'pass' }));
  }
  if (paths.ready) {
    routes.set(paths.ready, async (ctx) => {
      // Not ready means no traffic whatever the checks say, so do not bother the dependencies.
      const current =
        probe.state === 'ready'
          ? await report()
          : await buildReport(probe.state, details(ctx) ? runners : []);
      send(
        ctx,
        current.ready ? 200 : 503,
        renderHealth(current, current.ready ? current.status : 'fail', details(ctx)),
      );
    });
  }
  if (paths.health) {
    routes.set(paths.health, async (ctx) => {
      const current = await report();
      send(
        ctx,
        current.status === 'fail' ? 503 : 200,
        renderHealth(current, current.status, details(ctx)),
      );
    });
  }
  if (paths.fleet && config.fleet) {
    const ipc = config.fleet;
    routes.set(paths.fleet, async (ctx) => {
      try {
        const view = await ipc.request<FleetView>(HEALTH_NAMESPACE, 'fleet', undefined, {
          timeout: config.fleetTimeoutMs,
        });
        send(ctx, view.status === 'fail' ? 503 : 200, renderFleet(view, details(ctx)));
      } catch (error) {
        const body: HealthJson = { status: 'fail' };
        if (details(ctx)) body.output = `fleet view unavailable: ${(error as Error).message}`;
        send(ctx, 503, body);
      }
    });
  }
  if (paths.metrics && config.metrics) {
    routes.set(paths.metrics, async (ctx) => {
      const scrape = config.fleet ? await fleetScrape(config) : undefined;
      ctx.status = 200;
      ctx.set('Cache-Control', 'no-store');
      ctx.type = scrape?.contentType ?? config.registry.contentType;
      ctx.body = scrape?.text ?? (await config.registry.metrics());
    });
  }
  return routes;
}

/** Under a fleet the primary aggregates; if it cannot, this worker's own figures are better than none. */
async function fleetScrape(config: ResolvedOptions): Promise<FleetScrape | undefined> {
  try {
    return await config.fleet!.request<FleetScrape>(METRICS_NAMESPACE, 'scrape', undefined, {
      timeout: config.fleetTimeoutMs,
    });
  } catch {
    return undefined;
  }
}

/** The worker's side of the fleet: its report and its metrics, when the primary gathers them. */
function answerPrimary(
  config: ResolvedOptions,
  report: () => Promise<HealthReport>,
): Array<() => void> {
  const ipc = config.fleet!;
  return [
    ipc.handle(HEALTH_NAMESPACE, async (type): Promise<WorkerHealthSummary> => {
      if (type !== 'report') throw new Error(`unknown ${HEALTH_NAMESPACE} request "${type}"`);
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
      if (type !== 'collect') throw new Error(`unknown ${METRICS_NAMESPACE} request "${type}"`);
      return metricsAsJson(config.registry);
    }),
  ];
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

function send(ctx: Context, status: number, body: HealthJson): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = body;
  ctx.type = HEALTH_JSON;
}

/**
 * The probe for this request, if any. Reads the raw request line rather than `ctx.path`, which
 * would parse the URL of every request the app serves just to learn it is not a probe.
 */
function probeRoute(routes: Map<string, Route>, req: IncomingMessage): Route | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  const url = req.url ?? '';
  const query = url.indexOf('?');
  return routes.get(query === -1 ? url : url.slice(0, query));
}

function errorStatus(error: unknown): number {
  const status =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}
