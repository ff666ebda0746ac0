import type { FleetLogger } from '@koa-fleet/contracts';
import type { AdminReloadResult } from '../admin/admin-types.js';
import { NoWorkerError, ReloadUnavailableError } from '../errors.js';
import { resolveOptions, type BalancerConfig, type ResolvedBalancerOptions } from '../options.js';
import { checkFixedOptions } from '../reload/fixed-options.js';
import { logReloadRefusal } from '../reload/reload-refusal.js';
import type { ReloadResult } from '../reload/reload-result.js';
import { reloadSummary } from '../reload/reload-summary.js';
import { BALANCER_NAMESPACE, type BalancerPrimaryIpc } from './fleet-types.js';

/** How long a balancer process may take to answer, on top of the drains of its removals. */
const ANSWER_MS = 5_000;

/**
 * The config of a `--workers` fleet, held by its primary: the one every balancer process starts
 * from (a replacement after SIGHUP or a crash too), so they all balance alike whatever the file
 * holds now. `reload()` reads the file again and checks it here, then every live process applies
 * it (balancer.reload()); a bad file changes nothing, in any process.
 */
export class FleetConfig {
  readonly #ipc: BalancerPrimaryIpc;
  readonly #logger: FleetLogger;
  readonly #source: (() => Promise<BalancerConfig>) | undefined;
  readonly #listeners = new Set<(options: ResolvedBalancerOptions) => void>();
  readonly #appliedListeners = new Set<(result: AdminReloadResult) => void>();
  #config: BalancerConfig;
  #resolved: ResolvedBalancerOptions;
  #reloading: Promise<unknown> = Promise.resolve();

  constructor(
    config: BalancerConfig,
    source: (() => Promise<BalancerConfig>) | undefined,
    ipc: BalancerPrimaryIpc,
    logger: FleetLogger,
  ) {
    this.#config = config;
    this.#resolved = resolveOptions(config);
    this.#source = source;
    this.#ipc = ipc;
    this.#logger = logger;
  }

  /** The config now, as a balancer process starting now takes it. */
  get config(): BalancerConfig {
    return this.#config;
  }

  get resolved(): ResolvedBalancerOptions {
    return this.#resolved;
  }

  /** Calls `listener` with every config a reload makes the fleet's (before the processes apply it). */
  onReload(listener: (options: ResolvedBalancerOptions) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Calls `listener` with the result of every reload the processes applied. */
  onApplied(listener: (result: AdminReloadResult) => void): () => void {
    this.#appliedListeners.add(listener);
    return () => this.#appliedListeners.delete(listener);
  }

  /** Reloads one after another; a refusal is logged, naming the field, and rejects. */
  reload(): Promise<AdminReloadResult> {
    const reload = this.#reloading.then(() => this.#reload());
    this.#reloading = reload.catch(() => {});
    return reload.catch((error: unknown) => {
      logReloadRefusal(this.#logger, error);
      throw error;
    });
  }

  async #reload(): Promise<AdminReloadResult> {
    if (!this.#source) throw new ReloadUnavailableError();
    const config = await this.#source();
    const resolved = resolveOptions(config);
    checkFixedOptions({ config: this.#config, resolved: this.#resolved }, { config, resolved });
    this.#config = config;
    this.#resolved = resolved;
    for (const listener of this.#listeners) listener(resolved);
    const results = await this.#ipc.gather<ReloadResult>(BALANCER_NAMESPACE, 'reload', config, {
      timeout: resolved.graceMs + ANSWER_MS,
    });
    const applied = results.flatMap((result) => {
      if (result.ok) return [result];
      const { workerId, code, error } = result;
      this.#logger.warn({ workerId, code }, `balancer worker ${workerId}: reload failed: ${error}`);
      return [];
    });
    // The config is the fleet's already: the processes that start from now on take it.
    if (applied.length === 0) throw new NoWorkerError('reload');
    const [first] = applied.sort((a, b) => a.workerId - b.workerId);
    const result: AdminReloadResult = { ...first!.value, workers: applied.length };
    this.#logger.info(
      { ...result },
      `reloaded the config in ${applied.length} balancer processes: ${reloadSummary(result)}`,
    );
    for (const listener of this.#appliedListeners) listener(result);
    return result;
  }
}
