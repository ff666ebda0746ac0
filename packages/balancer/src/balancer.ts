import { EventEmitter } from 'node:events';
import type { IncomingMessage, RequestListener } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FleetLogger } from '@koa-fleet/contracts';
import type { Backend } from './backend.js';
import { BackendSet, type BackendChange } from './backend-set.js';
import { BalancerStateError, type CertificateError, type ProxyError } from './errors.js';
import { EdgeListeners } from './edge/edge-listeners.js';
import { HealthChecker } from './health/health-checker.js';
import { plural } from './internal/plural.js';
import { createLogger } from './logging.js';
import { resolveOptions, type BalancerConfig, type ResolvedBalancerOptions } from './options.js';
import type { ExchangeReporter, ProxiedRequest } from './proxy/proxy-context.js';
import { RetryPolicy } from './proxy/retry-policy.js';
import { ReverseProxy } from './proxy/reverse-proxy.js';
import { createStrategy } from './strategies/choose-strategy.js';

export interface BalancerAddress {
  host: string;
  port: number;
  /** `http://host:port` (`https://` with `tls`), with a loopback host when listening on every address. */
  url: string;
  /** With `tls.httpRedirectPort`: the plain HTTP port that redirects to `url`. */
  redirectPort?: number;
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
  /** A backend went down, started draining, or came back up. */
  'backend-state': [BackendChange];
  'proxy-error': [ProxyErrorEvent];
  close: [];
}

type Lifecycle = 'new' | 'listening' | 'closing' | 'closed';

/**
 * The balancer: an HTTP (or HTTPS) server whose every request the reverse proxy hands to a
 * backend. Created by `createBalancer(config)`; the config is checked there, the certificate
 * files read, before anything listens.
 */
export class Balancer extends EventEmitter<BalancerEvents> {
  readonly #options: ResolvedBalancerOptions;
  readonly #logger: FleetLogger;
  readonly #set: BackendSet;
  readonly #proxy: ReverseProxy;
  readonly #checker: HealthChecker | undefined;
  readonly #edge: EdgeListeners;
  #lifecycle: Lifecycle = 'new';
  #address: BalancerAddress | undefined;
  #closed: Promise<void> | undefined;

  constructor(config: BalancerConfig) {
    super();
    this.#options = resolveOptions(config);
    const { logging } = this.#options;
    this.#logger = logging.logger ?? createLogger(logging.level);
    const { healthCheck } = this.#options;
    this.#set = new BackendSet(
      this.#options.backends,
      (change) => this.#backendChanged(change),
      healthCheck ? 'health-check' : 'fail-timeout',
    );
    this.#checker = healthCheck && new HealthChecker(this.#set.peers, healthCheck, this.#logger);
    this.#proxy = new ReverseProxy(
      {
        backends: this.#set,
        strategy: createStrategy(this.#options.strategy, this.#set.peers),
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
  }

  /** Every backend with its state now, in the configured order. */
  get backends(): readonly Backend[] {
    return this.#set.peers;
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
      const ports = await this.#edge.listen(port, host);
      const url = `${this.#edge.scheme}://${urlHost(host)}:${ports.port}`;
      const address: BalancerAddress = { host, ...ports, url };
      this.#address = address;
      this.#checker?.start();
      const backends = plural(this.#set.peers.length, 'backend');
      this.#logger.info({ url: address.url }, `balancing ${backends} on ${address.url}`);
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

  #backendChanged(change: BackendChange): void {
    const { backend, state, previous } = change;
    const fields = { backend: backend.url, state, previous };
    const peer = this.#set.peers.find((candidate) => candidate === backend);
    if (state === 'draining' && peer) this.#proxy.renewPool(peer);
    if (state === 'down') {
      this.#logger.warn(fields, `backend ${backend.url} is down (too many failures)`);
    } else if (state === 'draining') {
      this.#logger.info(fields, `backend ${backend.url} is draining`);
    } else {
      this.#logger.info(fields, `backend ${backend.url} is back in rotation`);
    }
    this.emit('backend-state', change);
  }

  #reporter(): ExchangeReporter {
    return {
      tryFailed: (error, backend, request, retried) => {
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

/** The host to put in a URL: a loopback one for "every address", brackets for IPv6. */
export function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
