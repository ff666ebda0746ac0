import { Counter, Gauge, Registry } from 'prom-client';
import { checkDuration, checkKnownKeys } from '@koa-fleet/errors';
import type { FleetPlugin } from '@koa-fleet/contracts';
import type { HealthFleetStats, HealthPrimaryContext } from '../fleet-types.js';
import { HEALTH_NAMESPACE, METRICS_NAMESPACE } from '../internal/ipc-names.js';
import { checkRegistry } from '../metrics/check-registry.js';
import {
  FleetMetricsAggregator,
  metricsAsJson,
  type MetricJson,
} from '../metrics/fleet-aggregator.js';
import { DEFAULT_PREFIX } from '../metrics/metrics-options.js';
import { buildFleetView, type FleetView, type WorkerHealthSummary } from './fleet-view.js';
import { FleetUnavailableError } from '../errors.js';

export interface HealthFleetPluginOptions {
  /** Primary-side metrics to add to every fleet scrape (e.g. an embedded session store's). */
  registry?: Registry;
  /** How long the primary waits for each worker's answer. Default '2s'. */
  gatherTimeout?: number | string;
  /** Metric name prefix. Default 'koa_fleet_'. */
  prefix?: string;
}

const KEYS = Object.keys({
  registry: true,
  gatherTimeout: true,
  prefix: true,
} satisfies Record<keyof HealthFleetPluginOptions, true>);

/** The answer to a worker's `kf:metrics` / `scrape` request. */
export interface FleetScrape {
  contentType: string;
  text: string;
}

/** A `FleetPlugin` whose `setup` needs only part of `PrimaryContext` (see fleet-types.ts). */
export interface HealthFleetPlugin extends FleetPlugin {
  setup(primary: HealthPrimaryContext): () => void;
  /** The fleet view, for a CLI or dashboard in the primary. Rejects before `setup`. */
  fleetView(): Promise<FleetView>;
  /** The aggregated Prometheus text. Rejects before `setup`. */
  scrape(): Promise<FleetScrape>;
}

/**
 * The primary side of @koa-fleet/health: answers the fleet view from the supervisor's stats
 * plus each worker's own report, and aggregates every worker's metrics for any worker's
 * /metrics, so a probe or a scrape sees the fleet, not the worker the connection landed on.
 */
export function healthFleetPlugin(options: HealthFleetPluginOptions = {}): HealthFleetPlugin {
  checkKnownKeys('', options, KEYS);
  const timeout = checkDuration('gatherTimeout', options.gatherTimeout ?? 2_000, { min: 1 });
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const primaryRegistry =
    options.registry === undefined
      ? undefined
      : checkRegistry('registry', options.registry, ['getMetricsAsJSON']);
  const aggregator = new FleetMetricsAggregator(prefix);
  const primaryMetrics = new PrimaryMetrics(prefix);
  let primary: HealthPrimaryContext | undefined;

  const need = (what: string): HealthPrimaryContext => {
    if (!primary) throw new FleetUnavailableError(`${what} (the plugin is not set up yet)`);
    return primary;
  };

  const fleetView = async (): Promise<FleetView> => {
    const context = need('the fleet view');
    const [stats, reports] = await Promise.all([
      context.stats(),
      context.ipc.gather<WorkerHealthSummary>(HEALTH_NAMESPACE, 'report', undefined, { timeout }),
    ]);
    return buildFleetView(stats, reports);
  };

  const scrape = async (): Promise<FleetScrape> => {
    const context = need('a metrics scrape');
    const [stats, results] = await Promise.all([
      context.stats(),
      context.ipc.gather<MetricJson[]>(METRICS_NAMESPACE, 'collect', undefined, { timeout }),
    ]);
    const own = [await primaryMetrics.collect(stats)];
    if (primaryRegistry) own.push(await metricsAsJson(primaryRegistry));
    const registry = await aggregator.aggregate(results, own);
    return { contentType: registry.contentType, text: await registry.metrics() };
  };

  return {
    name: '@koa-fleet/health',
    setup(context) {
      primary = context;
      // A type not in the map (a worker of another version) gets KF_IPC_UNKNOWN_TYPE.
      const stopHealth = context.ipc.handle(HEALTH_NAMESPACE, { fleet: () => fleetView() });
      const stopMetrics = context.ipc.handle(METRICS_NAMESPACE, { scrape: () => scrape() });
      return () => {
        stopHealth();
        stopMetrics();
        primary = undefined;
      };
    },
    fleetView,
    scrape,
  };
}

/** Figures only the primary knows: restarts and how many workers are ready. */
class PrimaryMetrics {
  readonly #registry = new Registry();
  readonly #restarts: Counter;
  readonly #ready: Gauge;
  readonly #desired: Gauge;
  #countedRestarts = 0;

  constructor(prefix: string) {
    const registers = [this.#registry];
    this.#restarts = new Counter({
      name: `${prefix}worker_restarts_total`,
      help: 'Worker restarts since the fleet started.',
      registers,
    });
    this.#ready = new Gauge({
      name: `${prefix}fleet_workers_ready`,
      help: 'Workers ready to serve.',
      registers,
    });
    this.#desired = new Gauge({
      name: `${prefix}fleet_workers_desired`,
      help: 'Workers the fleet should run.',
      registers,
    });
  }

  async collect(stats: HealthFleetStats): Promise<MetricJson[]> {
    // The supervisor's count only grows; feed the counter the difference so it stays monotonic.
    if (stats.restarts > this.#countedRestarts) {
      this.#restarts.inc(stats.restarts - this.#countedRestarts);
      this.#countedRestarts = stats.restarts;
    }
    this.#ready.set(stats.workers.filter((worker) => worker.state === 'ready').length);
    this.#desired.set(stats.desired);
    return metricsAsJson(this.#registry);
  }
}
