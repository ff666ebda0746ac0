import { EventEmitter } from 'node:events';
import type { IncomingMessage, RequestListener } from 'node:http';
import type { Duplex } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FleetLogger } from '@koa-fleet/contracts';
import { InvalidOptionError } from '@koa-fleet/errors';
import type { Registry } from 'prom-client';
import { AdminServer, normalised, type AdminAddress } from './admin/admin-server.js';
import { adminInfo } from './admin/admin-info.js';
import { localAdminTarget } from './admin/local-admin-target.js';
import {
  checkWeight,
  resolveBackend,
  type Backend,
  type BackendConfig,
  type Peer,
  type ResolvedBackend,
} from './backend.js';
import { BackendSet, type BackendChange, type PeerChange } from './backend-set.js';
import {
  BalancerStateError,
  LastBackendError,
  ReloadUnavailableError,
  UnknownBackendError,
  type CertificateError,
  type ProxyError,
} from './errors.js';
import { EdgeListeners } from './edge/edge-listeners.js';
import type { FleetConnectionEvent, FleetWorkerEvent } from './discovery/discovery-types.js';
import { FLEET_BACKENDS, FLEET_DIRECTORY, type FleetBackends } from './discovery/fleet-backends.js';
import { FleetDirectory } from './discovery/fleet-directory.js';
import { HealthChecker } from './health/health-checker.js';
import { checkSlowStartStrategy } from './health/slow-start.js';
import { plural } from './internal/plural.js';
import { FAILED_ELSEWHERE } from './internal/shared-health.js';
import { urlHost } from './internal/url-host.js';
import { SNAPSHOTS } from './internal/snapshots.js';
import { createLogger } from './logging.js';
import { planBackends } from './reload/backend-plan.js';
import { checkFixedOptions } from './reload/fixed-options.js';
import type { ReloadResult } from './reload/reload-result.js';
import { logReloadRefusal } from './reload/reload-refusal.js';
import { reloadSummary } from './reload/reload-summary.js';
import { resolveOptions, type BalancerConfig, type ResolvedBalancerOptions } from './options.js';
import type { ExchangeReporter, ProxiedRequest } from './proxy/proxy-context.js';
import { RetryPolicy } from './proxy/retry-policy.js';
import { ReverseProxy } from './proxy/reverse-proxy.js';
import { BalancerMetrics } from './stats/balancer-metrics.js';
import {
  snapshotOf,
  statsOf,
  type BackendSnapshot,
  type BackendStats,
} from './stats/backend-stats.js';
import { createStrategy } from './strategies/choose-strategy.js';
import type { Strategy } from './strategies/strategy.js';

export interface BalancerAddress {
  host: string;
  port: number;
  /** `http://host:port` (`https://` with `tls`), with a loopback host when listening on every address. */
  url: string;
  /** With `tls.httpRedirectPort`: the plain HTTP port that redirects to `url`. */
  redirectPort?: number;
  /** With `admin`: where the admin listener is. */
  admin?: AdminAddress;
}

/** A try that failed: retried on another backend, or answered with `error.status`. */
export interface ProxyErrorEvent {
  error: ProxyError;
  backend: Backend;
  request: ProxiedRequest;
  retried: boolean;
}

export interface BalancerEvents {
  listening: [BalancerAddress];
  /** A backend went down, started draining (or was drained, or is being removed), or came back up. */
  'backend-state': [BackendChange];
  /** `addBackend()`: the backend takes requests from now on. */
  'backend-added': [Backend];
  /** `removeBackend()`: the backend is gone, its requests done and its connections closed. */
  'backend-removed': [Backend];
  /** `reload()` applied a config (its removals done). */
  reloaded: [ReloadResult];
  'proxy-error': [ProxyErrorEvent];
  /** With `fleets`: a worker of a followed fleet is starting, ready, draining, or has exited. */
  'fleet-worker': [FleetWorkerEvent];
  /** With `fleets`: a fleet's control socket was lost (its backends are kept), or is back. */
  'fleet-connection': [FleetConnectionEvent];
  close: [];
}

type Lifecycle = 'new' | 'listening' | 'closing' | 'closed';

/**
 * The balancer: an HTTP (or HTTPS) server whose every request the reverse proxy hands to a
 * backend. Created by `createBalancer(config)`; the config is checked there, the certificate
 * files read, before anything listens.
 */
export class Balancer extends EventEmitter<BalancerEvents> {
  /** The config in use, as given and as resolved; a reload replaces both. */
  #config: BalancerConfig;
  #options: ResolvedBalancerOptions;
  readonly #logger: FleetLogger;
  readonly #set: BackendSet;
  readonly #strategy: Strategy;
  readonly #proxy: ReverseProxy;
  readonly #checker: HealthChecker | undefined;
  readonly #edge: EdgeListeners;
  readonly #metrics: BalancerMetrics;
  readonly #removals = new Map<Peer, Promise<BackendStats>>();
  readonly #fleets: FleetDirectory | undefined;
  #following: Promise<void> | undefined;
  #admin: AdminServer | undefined;
  #configSource: (() => BalancerConfig | Promise<BalancerConfig>) | undefined;
  /** The reload running, if any: reloads apply one after the other. */
  #reloading: Promise<unknown> = Promise.resolve();
  #lifecycle: Lifecycle = 'new';
  #address: BalancerAddress | undefined;
  #closed: Promise<void> | undefined;

  constructor(config: BalancerConfig) {
    super();
    this.#options = resolveOptions(config);
    this.#config = config;
    const { logging } = this.#options;
    this.#logger = logging.logger ?? createLogger(logging.level);
    const { healthCheck } = this.#options;
    this.#set = new BackendSet(
      this.#options.backends,
      (change) => this.#backendChanged(change),
      healthCheck ? 'health-check' : 'fail-timeout',
    );
    this.#checker = healthCheck && new HealthChecker(this.#set.peers, healthCheck, this.#logger);
    this.#strategy = createStrategy(this.#options.strategy, this.#set.peers);
    this.#metrics = new BalancerMetrics(() => this.#set.peers);
    this.#proxy = new ReverseProxy(
      {
        backends: this.#set,
        strategy: this.#strategy,
        retry: new RetryPolicy(this.#options.retry),
        retryBodyLimit: this.#options.retry.retryBodyLimit,
        timeouts: this.#options.timeouts,
        forwarding: this.#options.forwarding,
        client: this.#options.client,
        retryAfterSeconds: this.#options.retryAfterSeconds,
        reporter: this.#reporter(),
      },
      this.#options.keepAlive,
    );
    this.#edge = new EdgeListeners(this.#options, this.#proxy);
    if (this.#options.fleets.length > 0) {
      this.#fleets = new FleetDirectory(this.#options.fleets, this[FLEET_BACKENDS](), this.#logger);
      this.#fleets.on('fleet-worker', (event) => this.emit('fleet-worker', event));
      this.#fleets.on('fleet-connection', (event) => this.emit('fleet-connection', event));
    }
  }

  /**
   * Connects to every fleet of `fleets` and adds its ready workers; `listen()` does it first. A
   * server of yours serving `callback()` awaits it before it serves. Rejects with a
   * FleetConnectError naming the fleet whose control socket does not answer (or that runs without
   * per-worker ports); a second call gets the same promise.
   */
  followFleets(): Promise<void> {
    this.#following ??= (this.#fleets?.open() ?? Promise.resolve()).catch((error: unknown) => {
      this.#following = undefined; // a later call tries again
      throw error;
    });
    return this.#following;
  }

  /** The balancer's end of its fleets: the follower's changes to the backends. */
  [FLEET_BACKENDS](): FleetBackends {
    return {
      has: (url) => this.#set.find(url) !== undefined,
      serve: (resolved) => {
        const peer = this.#set.find(resolved.url);
        if (!peer) {
          const joined = this.#join(resolved);
          this.#logger.info(
            { backend: joined.url, weight: joined.weight },
            `added backend ${joined.url}`,
          );
          this.emit('backend-added', joined);
        } else if (!peer.leaving) {
          if (peer.weight !== resolved.weight) this.setWeight(peer.url, resolved.weight);
          peer.undrain();
        }
      },
      hold: async (url) => {
        const peer = this.#set.find(url);
        if (!peer) return true;
        if (!peer.drained) {
          peer.drain();
          // Its pooled connections may reach the worker that drains, which shares the port with
          // its replacement: none of them is used again.
          this.#proxy.renewPool(peer);
        }
        return this.#settled(peer, this.#options.graceMs);
      },
      leave: async (url) => {
        const peer = this.#set.find(url);
        if (!peer) return;
        let removal = this.#removals.get(peer);
        if (!removal) {
          // No worker listens on the port any more, so a try in flight there waits on a process
          // that is gone — or on a connection the fleet's primary accepted for it and will never
          // hand over. Cut now, such a GET goes to the next backend instead of hanging for grace.
          peer.leave();
          this.#proxy.cutPool(peer);
          removal = this.#remove(peer);
          this.#removals.set(peer, removal);
        }
        await removal;
      },
    };
  }

  /** The fleets it follows, for its admin target; undefined without `fleets`. */
  [FLEET_DIRECTORY](): FleetDirectory | undefined {
    return this.#fleets;
  }

  /** Every backend with its state now, in the configured order. */
  get backends(): readonly Backend[] {
    return this.#set.peers;
  }

  /** Every backend's figures now: state, weights, requests, answers, errors, latency. */
  stats(): BackendStats[] {
    return this[SNAPSHOTS]().map(statsOf);
  }

  /** The stats with their latency buckets, so those of several processes can merge. */
  [SNAPSHOTS](): BackendSnapshot[] {
    const now = performance.now();
    return this.#set.peers.map((peer) => snapshotOf(peer, this.#effectiveWeight(peer), now));
  }

  /** Another process of the fleet took `url` out for its failures: out here too, as if this one had. */
  [FAILED_ELSEWHERE](url: string): void {
    this.#set.find(url)?.health.failedElsewhere();
  }

  /**
   * The balancer's Prometheus metrics (`koa_fleet_balancer_…`), on a registry of its own: the
   * admin listener serves it as `/metrics`; without one, serve `registry.metrics()` yourself.
   */
  get registry(): Registry {
    return this.#metrics.registry;
  }

  /**
   * Adds a backend, in rotation at once (ramped by its `slowStart`, if it has one): a URL or a
   * BackendConfig, checked as a `backends` entry is — an InvalidOptionError names the field
   * (`weight`, `url`), and a URL the balancer has already is refused. Top-level `maxFails`,
   * `failTimeout` and `slowStart` are its defaults.
   */
  addBackend(config: string | BackendConfig): Backend {
    this.#changing('addBackend()');
    const resolved = resolveBackend('', config, this.#options.backendDefaults);
    if (this.#set.find(resolved.url)) {
      throw new InvalidOptionError('url', 'a URL no other backend has', resolved.url);
    }
    checkSlowStartStrategy(this.#options.strategy.name, [resolved.slowStartMs], () => ({
      path: 'slowStart',
      value: typeof config === 'object' ? config.slowStart : undefined,
    }));
    const peer = this.#join(resolved);
    this.#logger.info({ backend: peer.url, weight: peer.weight }, `added backend ${peer.url}`);
    this.emit('backend-added', peer);
    return peer;
  }

  /**
   * Removes a backend without failing a request: it leaves the rotation at once, the requests in
   * flight to it finish (for up to `grace`, then they are cut), then its connections close.
   * Resolves with its last figures once it is gone; a second call gets the same promise. Rejects
   * with an UnknownBackendError, or a LastBackendError for the only backend left.
   */
  async removeBackend(url: string): Promise<BackendStats> {
    this.#changing('removeBackend()');
    const peer = this.#peer(url);
    const pending = this.#removals.get(peer);
    if (pending) return pending;
    if (!this.#set.peers.some((other) => other !== peer && !other.leaving)) {
      throw new LastBackendError(peer.url);
    }
    const removal = this.#remove(peer);
    this.#removals.set(peer, removal);
    return removal;
  }

  /**
   * Takes a backend out of rotation until `undrainBackend()`, whatever its health says (its state
   * is `draining`); the requests in flight to it finish. Throws an UnknownBackendError.
   */
  drainBackend(url: string): Backend {
    this.#changing('drainBackend()');
    const peer = this.#peer(url);
    peer.drain();
    return peer;
  }

  /** Puts a drained backend back into rotation (when its health is up), ramped by its slow start. */
  undrainBackend(url: string): Backend {
    this.#changing('undrainBackend()');
    const peer = this.#peer(url);
    peer.undrain();
    return peer;
  }

  /**
   * Gives a backend a new weight (a whole number from 1), used from the next request on; with the
   * hash strategy only keys moving to or from that backend change backend.
   */
  setWeight(url: string, weight: number): Backend {
    this.#changing('setWeight()');
    const peer = this.#peer(url);
    const checked = checkWeight('weight', weight);
    const previous = peer.weight;
    peer.setWeight(checked);
    this.#strategy.rebuild?.(this.#set.peers);
    this.#logger.info(
      { backend: peer.url, weight: checked, previous },
      `backend ${peer.url} weighs ${checked} (was ${previous})`,
    );
    return peer;
  }

  /**
   * Applies a new config without failing a request, as `nginx -s reload` does: it is checked
   * whole first (an InvalidOptionError names the field; a ReloadRestartError names an option only
   * a restart can change, such as `port`, `tls` or `strategy`) and nothing changes unless it
   * passes. Then, matched by URL: new backends join, missing ones are removed (drained first: it
   * resolves once they are gone), changed weights and other backend settings (`backup`,
   * `maxConns`, `maxFails`, `failTimeout`, `slowStart`) apply in place, and the top-level backend
   * defaults and `grace` are the new ones. The config becomes the truth: backends added or
   * removed and weights set since start (admin API) are undone where it says otherwise; drains
   * stay, as the config has no word for them. Reloads run one after another.
   */
  reload(config: BalancerConfig): Promise<ReloadResult> {
    this.#changing('reload()');
    const reload = this.#reloading.then(() => this.#reload(config));
    this.#reloading = reload.catch(() => {});
    return this.#logRefusal(reload);
  }

  /**
   * Where `reloadFromSource()` — and so the admin API's `POST /api/v1/reload` — reads the config
   * again: the CLI sets the `--config` file read with the same flags.
   */
  setConfigSource(read: () => BalancerConfig | Promise<BalancerConfig>): void {
    this.#configSource = read;
  }

  /** Reads the config source again and reloads it; a ReloadUnavailableError without a source. */
  async reloadFromSource(): Promise<ReloadResult> {
    if (!this.#configSource) throw new ReloadUnavailableError();
    let config: BalancerConfig;
    try {
      config = await this.#configSource();
    } catch (error) {
      return this.#logRefusal(Promise.reject(error));
    }
    return this.reload(config);
  }

  /** A reload refused is logged (naming the field, when one is wrong), as the CLI has no other word. */
  async #logRefusal(reload: Promise<ReloadResult>): Promise<ReloadResult> {
    try {
      return await reload;
    } catch (error) {
      logReloadRefusal(this.#logger, error);
      throw error;
    }
  }

  /** Where it listens, once `listen()` has resolved. */
  get address(): BalancerAddress | undefined {
    return this.#address;
  }

  /**
   * The balancer as a request listener, for a server of yours (`http.createServer(listener)`) or
   * a koa-fleet worker's, as `--workers` uses it; active checks start with the first call.
   * `port`, `host` and `listen()` are then not used; `close()` still stops the checks and closes
   * the backend connections.
   */
  callback(): RequestListener {
    if (this.#lifecycle === 'closing' || this.#lifecycle === 'closed') {
      throw new BalancerStateError(`callback() on a balancer that is ${this.#lifecycle}`);
    }
    this.#checker?.start();
    return this.#proxy.handle;
  }

  /**
   * The balancer's `upgrade` listener (WebSocket and other protocol switches), for the server
   * `callback()` serves: `server.on('upgrade', balancer.upgradeCallback())`.
   */
  upgradeCallback(): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
    if (this.#lifecycle === 'closing' || this.#lifecycle === 'closed') {
      throw new BalancerStateError(`upgradeCallback() on a balancer that is ${this.#lifecycle}`);
    }
    return this.#proxy.upgrade;
  }

  /** Starts listening on the configured host and port; rejects with a ListenError. */
  async listen(): Promise<BalancerAddress> {
    if (this.#lifecycle !== 'new') {
      throw new BalancerStateError(`listen() on a balancer that is ${this.#lifecycle}`);
    }
    this.#lifecycle = 'listening';
    const { port, host } = this.#options;
    try {
      await this.followFleets();
      const ports = await this.#edge.listen(port, host);
      const url = `${this.#edge.scheme}://${urlHost(host)}:${ports.port}`;
      const address: BalancerAddress = { host, ...ports, url };
      if (this.#options.admin) {
        const target = localAdminTarget(this, adminInfo(this.#options, url, 1));
        this.#admin = new AdminServer(this.#options.admin, target, this.#logger);
        try {
          address.admin = await this.#admin.listen();
        } catch (error) {
          await this.#edge.stop();
          throw error;
        }
      }
      this.#address = address;
      this.#checker?.start();
      const backends = plural(this.#set.peers.length, 'backend');
      this.#logger.info({ url: address.url }, `balancing ${backends} on ${address.url}`);
      if (address.admin) {
        this.#logger.info({ url: address.admin.url }, `admin API on ${address.admin.url}`);
      }
      this.emit('listening', address);
      return address;
    } catch (error) {
      this.#lifecycle = 'new';
      throw error;
    }
  }

  /**
   * Reads the `tls` certificate and key files again and uses them for every new connection;
   * connections already open keep theirs (the CLI does it on SIGHUP). Throws a CertificateError,
   * and keeps the certificate it has, when the new files are not a usable pair.
   */
  reloadCertificates(): void {
    const { tls } = this.#options;
    if (!tls) throw new BalancerStateError('reloadCertificates() on a balancer without tls');
    try {
      this.#edge.reloadCertificates(tls);
    } catch (error) {
      const { code, message } = error as CertificateError;
      this.#logger.error(
        { code, cert: tls.certFile },
        `${message}; keeping the certificate in use`,
      );
      throw error;
    }
    this.#logger.info({ cert: tls.certFile }, `reloaded the TLS certificate ${tls.certFile}`);
  }

  /**
   * Stops accepting, lets requests in flight finish for up to `grace`, then closes every
   * connection, client and backend side. Calling it again returns the same promise.
   */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    const wasListening = this.#lifecycle === 'listening';
    this.#lifecycle = 'closing';
    this.#fleets?.close();
    await this.#admin?.close();
    if (wasListening) {
      const stopped = this.#edge.stop();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.#proxy.idle(),
        new Promise((resolve) => (timer = setTimeout(resolve, this.#options.graceMs))),
      ]);
      clearTimeout(timer);
      this.#edge.cutAll();
      await this.#proxy.destroy(); // tunnels too: the servers wait for their sockets
      await stopped;
    } else {
      await this.#proxy.destroy();
    }
    await this.#checker?.stop();
    this.#set.dispose();
    this.#lifecycle = 'closed';
    this.emit('close');
  }

  async #reload(config: BalancerConfig): Promise<ReloadResult> {
    this.#changing('reload()');
    const resolved = resolveOptions(config);
    checkFixedOptions({ config: this.#config, resolved: this.#options }, { config, resolved });
    // The fleets' backends are theirs, not the config's: a reload neither removes nor changes them.
    const followed = this.#fleets?.followed() ?? new Set<string>();
    const staying = this.#set.peers.filter((peer) => !peer.leaving && !followed.has(peer.url));
    const plan = planBackends(
      staying.map((peer) => peer.config),
      resolved.backends,
    );
    this.#config = config;
    this.#options = {
      ...this.#options,
      backends: resolved.backends,
      backendDefaults: resolved.backendDefaults,
      graceMs: resolved.graceMs,
    };
    for (const backend of plan.reconfigure) this.#peer(backend.url).reconfigure(backend);
    for (const { url, weight } of plan.reweight) this.#peer(url).setWeight(weight);
    const added: Peer[] = [];
    for (const backend of plan.add) {
      // Being removed still (an earlier change): back once it is gone, as a new backend.
      const leaving = this.#set.find(backend.url);
      if (leaving) await this.#removals.get(leaving);
      added.push(this.#join(backend));
    }
    this.#strategy.rebuild?.(this.#set.peers);
    for (const peer of added) {
      this.#logger.info({ backend: peer.url, weight: peer.weight }, `added backend ${peer.url}`);
      this.emit('backend-added', peer);
    }
    // Added first: a config with none of the old backends still always has one to send to.
    await Promise.all(plan.remove.map((url) => this.removeBackend(url)));
    const result: ReloadResult = {
      added: plan.add.map((backend) => backend.url),
      removed: plan.remove,
      reweighted: plan.reweight,
      reconfigured: plan.reconfigure.map((backend) => backend.url),
    };
    this.#logger.info(result, `reloaded the config: ${reloadSummary(result)}`);
    this.emit('reloaded', result);
    return result;
  }

  /** A backend of `url`, as the balancer keeps it; an UnknownBackendError when it has none. */
  #peer(url: string): Peer {
    const peer = typeof url === 'string' ? this.#set.find(normalised(url)) : undefined;
    if (!peer) throw new UnknownBackendError(String(url));
    return peer;
  }

  #changing(what: string): void {
    if (this.#lifecycle === 'closing' || this.#lifecycle === 'closed') {
      throw new BalancerStateError(`${what} on a balancer that is ${this.#lifecycle}`);
    }
  }

  #join(resolved: ResolvedBackend): Peer {
    const peer = this.#set.add(resolved);
    this.#proxy.addPool(peer);
    peer.joined();
    this.#checker?.add(peer);
    this.#strategy.rebuild?.(this.#set.peers);
    return peer;
  }

  async #remove(peer: Peer): Promise<BackendStats> {
    const { url } = peer;
    peer.leave();
    this.#logger.info(
      { backend: url, active: peer.active },
      `removing backend ${url}: waiting for ${plural(peer.active, 'request')} in flight`,
    );
    if (!(await this.#settled(peer, this.#options.graceMs))) {
      const left = plural(peer.active, 'request');
      this.#logger.warn(
        { backend: url, active: peer.active },
        `cutting ${left} to ${url} after grace`,
      );
    }
    this.#set.remove(peer);
    this.#strategy.rebuild?.(this.#set.peers);
    this.#metrics.forget(peer);
    await Promise.all([this.#checker?.remove(peer), this.#proxy.removePool(peer)]);
    this.#removals.delete(peer);
    this.#logger.info({ backend: url }, `removed backend ${url}`);
    this.emit('backend-removed', peer);
    return statsOf(snapshotOf(peer, this.#effectiveWeight(peer), performance.now()));
  }

  /**
   * Resolves true once nothing is in flight to `peer` (it takes no new requests), false when
   * `ms` ran out first.
   */
  async #settled(peer: Peer, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (peer.active > 0) {
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          peer.idle().then(() => false),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(true), Math.max(deadline - Date.now(), 0));
          }),
        ]);
        clearTimeout(timer);
        if (timedOut) return false;
      }
      // A try on a keep-alive socket the backend had closed goes out again to the same backend
      // right after it ended: only a turn later is "nothing in flight" for good.
      await nextTurn();
      if (peer.active === 0) return true;
    }
  }

  #effectiveWeight(peer: Peer): number {
    const own = this.#strategy.effectiveWeight?.(peer) ?? peer.weight;
    return Math.min(own, peer.rampedWeight);
  }

  #backendChanged(change: PeerChange): void {
    const { backend: peer, state, previous } = change;
    const backend = peer;
    const fields = { backend: backend.url, state, previous };
    // The drain signal: the pooled connections reach a process on its way out.
    if (state === 'draining' && peer.health.state === 'draining') this.#proxy.renewPool(peer);
    if (state === 'down') {
      this.#logger.warn(fields, `backend ${backend.url} is down (too many failures)`);
      if (this.#set.failingOpen) {
        this.#logger.warn(
          fields,
          'every backend is down: requests go to them anyway, those answering their health checks first',
        );
      }
    } else if (state === 'draining' && peer.leaving) {
      this.#logger.info(fields, `backend ${backend.url} is leaving (being removed)`);
    } else if (state === 'draining' && peer.drained) {
      this.#logger.info(fields, `backend ${backend.url} is drained until undrained`);
    } else if (state === 'draining') {
      this.#logger.info(fields, `backend ${backend.url} is draining`);
    } else {
      this.#logger.info(fields, `backend ${backend.url} is back in rotation`);
    }
    this.emit('backend-state', change);
  }

  #reporter(): ExchangeReporter {
    return {
      answered: (backend, status, ms) => {
        backend.counters.answered(status, ms, performance.now());
        this.#metrics.observe(backend, ms);
      },
      tryFailed: (error, backend, request, retried) => {
        backend.counters.failed(error.code, retried);
        const fields = { code: error.code, backend: backend.url, ...request, retried };
        if (retried) this.#logger.warn(fields, `${error.message}; retrying on the next backend`);
        else this.#logger.error(fields, error.message);
        this.emit('proxy-error', { error, backend, request, retried });
      },
      responded: (request, status, backend, durationMs) => {
        if (!this.#options.logging.accessLog) return;
        this.#logger.info({ ...request, status, backend: backend?.url, durationMs }, 'request');
      },
      unexpected: (error) => {
        this.#logger.error({ err: error }, 'unexpected error in the balancer');
      },
    };
  }
}

/** Creates a balancer; throws InvalidOptionError naming the field when the config is wrong. */
export function createBalancer(config: BalancerConfig): Balancer {
  return new Balancer(config);
}
