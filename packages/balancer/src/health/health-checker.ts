import { DRAIN_HEADER, type FleetLogger } from '@koa-fleet/contracts';
import { probe } from '../upstream/probe.js';
import { UpstreamPool } from '../upstream/upstream-pool.js';
import { ActiveHealth, type ResolvedHealthCheck } from './active-health.js';
import type { PassiveHealth } from './passive-health.js';

/**
 * A check's outcome, with the status it was answered with; `reason` says why one failed, and
 * `draining` that the answer carried the drain header (the process is on its way out).
 */
export type CheckOutcome =
  | { passed: true; status: number }
  | { passed: false; reason: string; status?: number; draining?: boolean };

/** The drain header as the response parser spells header names (lower case). */
const DRAINING = DRAIN_HEADER.toLowerCase();

const USER_AGENT = 'koa-fleet-balancer (health check)';

/** What a check needs of a backend (a Peer is one). */
export interface CheckedBackend {
  readonly url: string;
  readonly health: PassiveHealth;
  /** Told every check's outcome (the backend's stats show the last one). */
  checked(outcome: CheckOutcome): void;
}

interface BackendCheck {
  peer: CheckedBackend;
  health: ActiveHealth;
  /** One connection, opened for each check and closed after it. */
  pool: UpstreamPool;
  timer: NodeJS.Timeout | undefined;
  removed: boolean;
}

/**
 * Runs the active checks: for each backend one `GET path` at a time, the next one `interval`
 * after the last ended, each fed to the backend's ActiveHealth. A check goes on its own
 * connection, opened for it and closed after it (as HAProxy's do), not on the proxy's pool: it
 * never waits behind busy requests, and it tests what a new connection reaches now — after a
 * rolling reload, the replacement worker, not the draining one a pooled socket may still hold.
 */
export class HealthChecker {
  readonly #options: ResolvedHealthCheck;
  readonly #logger: FleetLogger;
  readonly #checks = new Map<CheckedBackend, BackendCheck>();
  #running = false;

  constructor(peers: readonly CheckedBackend[], options: ResolvedHealthCheck, logger: FleetLogger) {
    this.#options = options;
    this.#logger = logger;
    for (const peer of peers) this.#checks.set(peer, this.#check(peer));
  }

  /** Checks every backend now, then every `interval`; calling it again changes nothing. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    for (const check of this.#checks.values()) void this.#run(check);
  }

  /** A backend joined: it is checked from now on (at once, when the checks are running). */
  add(peer: CheckedBackend): void {
    const check = this.#check(peer);
    this.#checks.set(peer, check);
    if (this.#running) void this.#run(check);
  }

  /** A backend left: its checks stop and their connection closes. */
  async remove(peer: CheckedBackend): Promise<void> {
    const check = this.#checks.get(peer);
    if (!check) return;
    this.#checks.delete(peer);
    check.removed = true;
    clearTimeout(check.timer);
    await check.pool.destroy();
  }

  /** Stops checking and closes the checks' connections. */
  async stop(): Promise<void> {
    this.#running = false;
    const checks = [...this.#checks.values()];
    for (const check of checks) clearTimeout(check.timer);
    await Promise.all(checks.map((check) => check.pool.destroy()));
  }

  #check(peer: CheckedBackend): BackendCheck {
    const { timeoutMs } = this.#options;
    return {
      peer,
      health: new ActiveHealth(this.#options, peer.health),
      pool: new UpstreamPool(
        peer.url,
        { connections: 1, idleTimeoutMs: timeoutMs },
        { connectMs: timeoutMs, headersMs: timeoutMs, idleMs: timeoutMs, totalMs: timeoutMs },
      ),
      timer: undefined,
      removed: false,
    };
  }

  async #run(check: BackendCheck): Promise<void> {
    const outcome = await this.#probe(check.pool);
    if (!this.#running || check.removed) return;
    if (!outcome.passed) {
      const { url, health } = check.peer;
      const fields = { backend: url, state: health.state, reason: outcome.reason };
      this.#logger.debug(fields, 'health check failed');
    }
    check.peer.checked(outcome);
    check.health.record(outcome.passed);
    check.timer = setTimeout(() => void this.#run(check), this.#options.intervalMs);
    check.timer.unref();
  }

  async #probe(pool: UpstreamPool): Promise<CheckOutcome> {
    try {
      const { status, headers } = await probe(
        pool,
        {
          path: this.#options.path,
          method: 'GET',
          headers: ['user-agent', USER_AGENT],
          body: null,
          reset: true,
        },
        this.#options.timeoutMs,
      );
      // The drain header says more than the status: the process is on its way out.
      if (headers[DRAINING] !== undefined)
        return { passed: false, reason: `answered with ${DRAIN_HEADER}`, status, draining: true };
      if (status < 200 || status >= 400)
        return { passed: false, reason: `answered ${status}`, status };
      return { passed: true, status };
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      return { passed: false, reason: code ?? message ?? String(error) };
    }
  }
}
