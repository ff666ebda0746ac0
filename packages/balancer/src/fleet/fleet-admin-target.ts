import type { FleetLogger, GatherResult, IpcSender } from '@koa-fleet/contracts';
import { InvalidOptionError } from '@koa-fleet/errors';
import { AggregatorRegistry } from 'prom-client';
import { normalised } from '../admin/admin-server.js';
import type { AdminTarget, MetricsText } from '../admin/admin-target.js';
import { adminInfo } from '../admin/admin-info.js';
import type {
  AdminBackend,
  AdminEvent,
  AdminInfo,
  AdminReloadResult,
} from '../admin/admin-types.js';
import { checkWeight, resolveBackend, type BackendConfig } from '../backend.js';
import { urlHost } from '../internal/url-host.js';
import { LastBackendError, NoWorkerError, UnknownBackendError } from '../errors.js';
import { checkSlowStartStrategy } from '../health/slow-start.js';
import type { ResolvedBalancerOptions } from '../options.js';
import type { FleetConfig } from './fleet-config.js';
import { mergeStats, type MergeableStats } from '../stats/backend-stats.js';
import { withChange, type BackendChange } from './backend-change.js';
import {
  BALANCER_NAMESPACE,
  type BalancerPrimaryIpc,
  type WorkerStateChange,
} from './fleet-types.js';

/** How long a balancer process may take to answer; a removal waits for its drain on top. */
const ANSWER_MS = 5_000;

/**
 * The admin API over a `--workers` fleet, in its primary: every change is checked here with the
 * config's own resolvers, kept (a worker started later applies them all), and applied in every
 * balancer process; reads gather every process's stats and merge them per backend.
 */
export class FleetAdminTarget implements AdminTarget {
  readonly #ipc: BalancerPrimaryIpc;
  readonly #config: FleetConfig;
  readonly #logger: FleetLogger;
  /** The backends in the fleet now, in order, as the config and the changes since left them. */
  #urls: string[];
  #changes: BackendChange[] = [];
  readonly #removals = new Map<string, Promise<AdminBackend>>();
  readonly #listeners = new Set<(event: AdminEvent) => void>();
  readonly #workers: number;

  /** `workers`: how many balancer processes the fleet runs. */
  constructor(ipc: BalancerPrimaryIpc, config: FleetConfig, logger: FleetLogger, workers: number) {
    this.#ipc = ipc;
    this.#config = config;
    this.#workers = workers;
    this.#logger = logger;
    this.#urls = config.resolved.backends.map((backend) => backend.url);
    config.onReload((options) => this.#reloaded(options));
    config.onApplied((result) =>
      this.#emit({ event: 'config-reloaded', data: { ...result, at: new Date().toISOString() } }),
    );
  }

  get #options(): ResolvedBalancerOptions {
    return this.#config.resolved;
  }

  async info(): Promise<AdminInfo> {
    const { tls, host, port } = this.#options;
    const url = `${tls ? 'https' : 'http'}://${urlHost(host)}:${port}`;
    return adminInfo(this.#options, url, this.#workers);
  }

  /** Every change since the fleet started, for a balancer process that starts now. */
  changes(): BackendChange[] {
    return this.#changes;
  }

  /** A balancer process saw a backend change state. */
  stateChanged(change: WorkerStateChange, from: IpcSender): void {
    this.#emit({ event: 'backend-state', data: { ...change, workerId: from.workerId } });
  }

  async list(): Promise<AdminBackend[]> {
    const results = await this.#gather<MergeableStats[]>('snapshots', undefined, ANSWER_MS);
    const perBackend = new Map<string, { workerId: number; stats: MergeableStats }[]>();
    for (const { workerId, value } of results) {
      for (const stats of value) {
        const seen = perBackend.get(stats.url) ?? [];
        seen.push({ workerId, stats });
        perBackend.set(stats.url, seen);
      }
    }
    return this.#urls.flatMap((url) => {
      const seen = perBackend.get(url);
      return seen ? [fleetBackend(seen)] : [];
    });
  }

  async add(config: unknown): Promise<AdminBackend> {
    const { backendDefaults, strategy } = this.#options;
    const resolved = resolveBackend('', config, backendDefaults);
    if (this.#urls.includes(resolved.url)) {
      throw new InvalidOptionError('url', 'a URL no other backend has', resolved.url);
    }
    checkSlowStartStrategy(strategy.name, [resolved.slowStartMs], () => ({
      path: 'slowStart',
      value: (config as BackendConfig).slowStart,
    }));
    this.#urls.push(resolved.url);
    const added = await this.#change({
      op: 'add',
      url: resolved.url,
      config: config as string | BackendConfig,
    });
    this.#emit({ event: 'backend-added', data: { backend: added, at: new Date().toISOString() } });
    return added;
  }

  remove(url: string): Promise<AdminBackend> {
    const known = this.#known(url);
    const pending = this.#removals.get(known);
    if (pending) return pending;
    const staying = this.#urls.filter((other) => other !== known && !this.#removals.has(other));
    if (staying.length === 0) return Promise.reject(new LastBackendError(known));
    const removal = this.#change(
      { op: 'remove', url: known },
      this.#options.graceMs + ANSWER_MS,
    ).finally(() => {
      this.#urls = this.#urls.filter((other) => other !== known);
      this.#removals.delete(known);
    });
    this.#removals.set(known, removal);
    return removal.then((removed) => {
      this.#emit({
        event: 'backend-removed',
        data: { backend: known, at: new Date().toISOString() },
      });
      return removed;
    });
  }

  drain(url: string): Promise<AdminBackend> {
    return this.#change({ op: 'drain', url: this.#known(url) });
  }

  undrain(url: string): Promise<AdminBackend> {
    return this.#change({ op: 'undrain', url: this.#known(url) });
  }

  async setWeight(url: string, weight: unknown): Promise<AdminBackend> {
    const known = this.#known(url);
    return this.#change({ op: 'weight', url: known, weight: checkWeight('weight', weight) });
  }

  /**
   * Every process's metrics summed (prom-client's AggregatorRegistry, as @koa-fleet/health sums
   * a fleet's): counters and histograms add up, `backend_weight` is the first process's, and
   * `workers_answered` says how many processes this scrape includes.
   */
  async metrics(): Promise<MetricsText> {
    // `registry.getMetricsAsJSON()` of each process, after a trip over IPC.
    const results = await this.#gather<object[]>('metrics', undefined, ANSWER_MS);
    const answered = {
      name: 'koa_fleet_balancer_workers_answered',
      help: 'Balancer processes whose metrics this scrape includes.',
      type: 'gauge',
      aggregator: 'sum',
      values: [{ value: results.length, labels: {} }],
    };
    const registry = AggregatorRegistry.aggregate([
      ...results.map((result) => result.value),
      [answered],
    ]);
    return { contentType: registry.contentType, text: await registry.metrics() };
  }

  reload(): Promise<AdminReloadResult> {
    return this.#config.reload();
  }

  subscribe(listener: (event: AdminEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Keeps the change for processes to come, applies it in every live one, merges their answers. */
  async #change(change: BackendChange, timeout = ANSWER_MS): Promise<AdminBackend> {
    this.#changes = withChange(this.#changes, change);
    const results = await this.#gather<MergeableStats | null>('apply', change, timeout);
    const seen = results.flatMap(({ workerId, value }) =>
      value === null ? [] : [{ workerId, stats: value }],
    );
    if (seen.length === 0) throw new UnknownBackendError(change.url);
    return fleetBackend(seen);
  }

  /** The live processes' answers; a process that fails is logged, and only none answering fails. */
  async #gather<T>(type: string, payload: unknown, timeout: number) {
    const results = await this.#ipc.gather<T>(BALANCER_NAMESPACE, type, payload, { timeout });
    const answered: Extract<GatherResult<T>, { ok: true }>[] = [];
    for (const result of results) {
      if (result.ok) answered.push(result);
      else {
        const { workerId, code, error } = result;
        this.#logger.warn(
          { workerId, code },
          `balancer worker ${workerId}: ${type} failed: ${error}`,
        );
      }
    }
    if (answered.length === 0) throw new NoWorkerError(type);
    return answered;
  }

  /**
   * The reloaded config is the truth, as in each process (balancer.reload()): its backends, in its
   * order (one still being removed is kept until it is gone), and of the changes only the drains
   * of backends it still has, for processes that start from now on.
   */
  #reloaded(options: ResolvedBalancerOptions): void {
    const urls = options.backends.map((backend) => backend.url);
    const leaving = [...this.#removals.keys()].filter((url) => !urls.includes(url));
    this.#urls = [...urls, ...leaving];
    this.#changes = this.#changes.filter(
      (change) => (change.op === 'drain' || change.op === 'undrain') && urls.includes(change.url),
    );
  }

  #known(url: string): string {
    const known = normalised(url);
    if (!this.#urls.includes(known)) throw new UnknownBackendError(url);
    return known;
  }

  #emit(event: AdminEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}

/** One backend as every process sees it: merged stats, and each process's state. */
function fleetBackend(seen: readonly { workerId: number; stats: MergeableStats }[]): AdminBackend {
  const [first, ...rest] = seen.map((entry) => entry.stats);
  const stats = mergeStats(first!, rest);
  return {
    id: encodeURIComponent(stats.url),
    ...stats,
    workers: seen
      .map(({ workerId, stats: own }) => ({ workerId, state: own.state }))
      .sort((a, b) => a.workerId - b.workerId),
  };
}
