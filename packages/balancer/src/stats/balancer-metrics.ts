import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Peer } from '../backend.js';
import { ERROR_KINDS, STATUS_CLASSES } from './backend-counters.js';
import type { BackendStatsState } from './backend-stats.js';

const PREFIX = 'koa_fleet_balancer_';
const STATES: readonly BackendStatsState[] = ['up', 'slow-start', 'draining', 'down'];
/** Seconds; prom-client's defaults plus a finer start, since backends on one host answer fast. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The balancer's Prometheus metrics, on a registry of its own (never prom-client's global one).
 * Counters and gauges are read from the backends' counters when scraped (`collect`), so a request
 * costs them nothing; only the latency histogram is observed per answer.
 */
export class BalancerMetrics {
  readonly registry = new Registry();
  readonly #latency: Histogram<'backend'>;
  readonly #observers = new Map<Peer, Histogram.Internal<'backend'>>();

  constructor(peers: () => readonly Peer[]) {
    const registers = [this.registry];
    const perBackend = (
      name: string,
      help: string,
      read: (peer: Peer) => number,
    ): Counter<'backend'> =>
      new Counter({
        name: `${PREFIX}${name}`,
        help,
        labelNames: ['backend'],
        registers,
        collect() {
          this.reset();
          for (const peer of peers()) this.inc({ backend: peer.url }, read(peer));
        },
      });
    perBackend('requests_total', 'Tries sent to the backend.', (peer) => peer.counters.requests);
    perBackend(
      'retries_total',
      'Tries that failed on the backend and went on to another one.',
      (peer) => peer.counters.retries,
    );
    new Counter({
      name: `${PREFIX}responses_total`,
      help: 'Answers of the backend passed on to clients, by status class.',
      labelNames: ['backend', 'class'],
      registers,
      collect() {
        this.reset();
        for (const peer of peers()) {
          STATUS_CLASSES.forEach((name, index) =>
            this.inc({ backend: peer.url, class: name }, peer.counters.responses[index]!),
          );
        }
      },
    });
    new Counter({
      name: `${PREFIX}errors_total`,
      help: 'Failed tries on the backend, by kind: connect, timeout, reset, invalid, status, other.',
      labelNames: ['backend', 'kind'],
      registers,
      collect() {
        this.reset();
        for (const peer of peers()) {
          ERROR_KINDS.forEach((kind, index) =>
            this.inc({ backend: peer.url, kind }, peer.counters.errors[index]!),
          );
        }
      },
    });
    new Gauge({
      name: `${PREFIX}backend_state`,
      // Summed over a fleet's processes: how many of them see the backend in each state.
      help: 'The backend state: 1 for the state it is in, 0 for the others.',
      labelNames: ['backend', 'state'],
      registers,
      collect() {
        this.reset();
        for (const peer of peers()) {
          const now = peer.slowStarting ? 'slow-start' : peer.state;
          for (const state of STATES) this.set({ backend: peer.url, state }, now === state ? 1 : 0);
        }
      },
    });
    new Gauge({
      name: `${PREFIX}backend_active`,
      help: 'Requests in flight to the backend (open tunnels included).',
      labelNames: ['backend'],
      registers,
      collect() {
        this.reset();
        for (const peer of peers()) this.set({ backend: peer.url }, peer.active);
      },
    });
    new Gauge({
      name: `${PREFIX}backend_weight`,
      help: 'The backend weight.',
      labelNames: ['backend'],
      registers,
      aggregator: 'first', // the same in every process of a fleet: not summed
      collect() {
        this.reset();
        for (const peer of peers()) this.set({ backend: peer.url }, peer.weight);
      },
    });
    this.#latency = new Histogram({
      name: `${PREFIX}response_seconds`,
      help: 'Time from sending a try to the backend to its response headers.',
      labelNames: ['backend'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
  }

  /** One answer of `peer`, `ms` after its try was sent. */
  observe(peer: Peer, ms: number): void {
    let observer = this.#observers.get(peer);
    if (!observer) {
      observer = this.#latency.labels(peer.url);
      this.#observers.set(peer, observer);
    }
    observer.observe(ms / 1_000);
  }

  /** The backend left: its series go. */
  forget(peer: Peer): void {
    this.#observers.delete(peer);
    this.#latency.remove(peer.url);
  }
}
