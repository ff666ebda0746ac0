import type { ControlEvent } from '@koa-fleet/cluster';
import type { FleetLogger } from '@koa-fleet/contracts';
import { plural } from '../internal/plural.js';
import type { FleetBackends } from './fleet-backends.js';
import type { FleetLink } from './fleet-link.js';

type Wanted = { state: 'serve' | 'hold'; workerId: number };

/**
 * Keeps a balancer's backends in step with one fleet's workers: a port is in rotation while a
 * worker on it is ready and none is draining. The workers of a slot share its port, the old and
 * its replacement alike, so a reload holds the port out from the old worker's `worker-draining`
 * (the ack waits until nothing is in flight to it: the worker closes nothing in use) to its exit,
 * while the other slots take the requests; then the replacement, ready by then, gets it back.
 * A port with no worker left (a crash) is removed, and added again once its worker is ready.
 */
export class FleetFollower {
  readonly #backends: FleetBackends;
  readonly #logger: FleetLogger;
  /** The URLs this fleet gave the balancer. */
  readonly #owned = new Set<string>();

  constructor(backends: FleetBackends, logger: FleetLogger) {
    this.#backends = backends;
    this.#logger = logger;
  }

  get backends(): string[] {
    return [...this.#owned];
  }

  /** Brings the backends to what the link's worker table says; resolves once held ones are idle. */
  async sync(link: FleetLink): Promise<void> {
    const wanted = new Map<string, Wanted>();
    for (const worker of link.workers) {
      if (worker.state !== 'ready' && worker.state !== 'draining') continue;
      const state = worker.state === 'draining' ? 'hold' : 'serve';
      if (wanted.get(worker.url)?.state !== 'hold') {
        wanted.set(worker.url, { state, workerId: worker.workerId });
      }
    }
    const waits: Promise<unknown>[] = [];
    for (const [url, { state, workerId }] of wanted) {
      if (state === 'serve') this.#serve(link, url, workerId);
      else if (this.#owned.has(url)) waits.push(this.#hold(link, url));
    }
    for (const url of this.#owned) {
      if (!wanted.has(url)) waits.push(this.#leave(link, url));
    }
    await Promise.all(waits);
  }

  /** A worker event: the table changed, so the backends follow. */
  async event(link: FleetLink, event: ControlEvent): Promise<void> {
    if (event.event.startsWith('worker-')) await this.sync(link);
  }

  #serve(link: FleetLink, url: string, workerId: number): void {
    if (!this.#owned.has(url) && this.#backends.has(url)) {
      this.#logger.warn(
        { fleet: link.name, backend: url },
        `fleet ${link.name}: ${url} is a backend already (not the fleet's): leaving it as it is`,
      );
      return;
    }
    const { fleet } = link;
    this.#owned.add(url);
    this.#backends.serve({ ...fleet.backend, url, weight: fleet.weightOf(workerId) });
  }

  async #hold(link: FleetLink, url: string): Promise<void> {
    if (!(await this.#backends.hold(url))) {
      this.#logger.warn(
        { fleet: link.name, backend: url },
        `fleet ${link.name}: requests to draining ${url} still in flight after grace; acknowledging the drain`,
      );
    }
  }

  async #leave(link: FleetLink, url: string): Promise<void> {
    this.#owned.delete(url);
    this.#logger.info(
      { fleet: link.name, backend: url },
      `fleet ${link.name}: no worker on ${url} any more; removing it (${plural(this.#owned.size, 'backend')} left from the fleet)`,
    );
    await this.#backends.leave(url);
  }
}
