import { EventEmitter } from 'node:events';
import type { ControlEvent } from '@koa-fleet/cluster';
import type { FleetLogger } from '@koa-fleet/contracts';
import { checkInteger } from '@koa-fleet/errors';
import { FleetCommandError, UnknownFleetError } from '../errors.js';
import type {
  AdminFleet,
  AdminFleetReload,
  AdminFleetRestart,
  FleetConnectionEvent,
  FleetWorkerEvent,
} from './discovery-types.js';
import type { FleetBackends } from './fleet-backends.js';
import { FleetFollower } from './fleet-follower.js';
import { FleetLink, type FleetLinkListener } from './fleet-link.js';
import type { ResolvedFleet } from './fleet-options.js';
import { workerHealth } from './worker-health.js';

export interface FleetDirectoryEvents {
  'fleet-worker': [FleetWorkerEvent];
  'fleet-connection': [FleetConnectionEvent];
}

/**
 * Every fleet a balancer follows (`fleets`): a link to each one's control socket and, when it
 * has backends to keep, a follower that applies the fleet's workers to them. What the admin API
 * reads and sends about fleets goes through here.
 */
export class FleetDirectory extends EventEmitter<FleetDirectoryEvents> {
  readonly #links: FleetLink[];
  readonly #followers = new Map<FleetLink, FleetFollower>();
  readonly #logger: FleetLogger;

  /** Without `backends` (the `--workers` primary) the fleets are only watched, for the admin API. */
  constructor(
    fleets: readonly ResolvedFleet[],
    backends: FleetBackends | undefined,
    logger: FleetLogger,
  ) {
    super();
    this.#logger = logger;
    const listener: FleetLinkListener = {
      synced: (link) => this.#synced(link),
      event: (link, event) => this.#event(link, event),
      connection: (link, connected, reason) => this.#connection(link, connected, reason),
    };
    this.#links = fleets.map((fleet) => new FleetLink(fleet, listener, logger));
    if (backends) {
      for (const link of this.#links)
        this.#followers.set(link, new FleetFollower(backends, logger));
    }
  }

  get size(): number {
    return this.#links.length;
  }

  /** Connects to every fleet; rejects with the first FleetConnectError, connected to none. */
  async open(): Promise<void> {
    const opened = await Promise.allSettled(this.#links.map((link) => link.open()));
    const failed = opened.find((result) => result.status === 'rejected');
    if (failed) {
      this.close();
      throw failed.reason;
    }
  }

  close(): void {
    for (const link of this.#links) link.close();
  }

  /** Every fleet with its stats (asked now) and its workers' health answers. */
  list(): Promise<AdminFleet[]> {
    return Promise.all(this.#links.map((link) => this.#describe(link)));
  }

  async one(id: string): Promise<AdminFleet> {
    return this.#describe(this.#link(id));
  }

  /** A rolling reload of fleet `id`: resolves once the fleet serves the new generation. */
  async reload(id: string): Promise<AdminFleetReload> {
    const link = this.#link(id);
    await command(link, (control) => control.reload());
    return { fleet: link.name, reloaded: true };
  }

  /** A graceful restart of slot `slot` of fleet `id`: resolves once the new worker is ready. */
  async restartWorker(id: string, slot: unknown): Promise<AdminFleetRestart> {
    const link = this.#link(id);
    const workerId = checkInteger(
      'slot',
      typeof slot === 'string' && /^\d+$/.test(slot) ? Number(slot) : slot,
      { min: 0 },
    );
    const worker = await command(link, (control) => control.restartWorker(workerId));
    return { fleet: link.name, worker };
  }

  /** The URLs the fleets give the balancer now: not the config's, so a reload leaves them alone. */
  followed(): Set<string> {
    return new Set([...this.#followers.values()].flatMap((follower) => follower.backends));
  }

  #link(id: string): FleetLink {
    const link = this.#links.find((candidate) => candidate.name === id);
    if (!link) throw new UnknownFleetError(id);
    return link;
  }

  async #describe(link: FleetLink): Promise<AdminFleet> {
    const { name, fleet } = link;
    const backends = this.#followers.get(link)?.backends ?? [];
    const health = Promise.all(
      link.workers.map((worker) => workerHealth(worker, fleet.healthPath)),
    );
    const base = { id: name, control: fleet.control, connected: link.connected, backends };
    try {
      const stats = await command(link, (control) => control.stats());
      return { ...base, stats, health: await health };
    } catch (error) {
      return { ...base, error: (error as Error).message, health: await health };
    }
  }

  async #synced(link: FleetLink): Promise<void> {
    await this.#followers.get(link)?.sync(link);
  }

  async #event(link: FleetLink, event: ControlEvent): Promise<void> {
    if (
      event.event === 'worker-starting' ||
      event.event === 'worker-ready' ||
      event.event === 'worker-draining' ||
      event.event === 'worker-exit'
    ) {
      const { workerId, pid, generation, port } = event;
      this.emit('fleet-worker', {
        fleet: link.name,
        event: event.event,
        workerId,
        pid,
        generation,
        ...(port !== undefined && { port }),
        at: new Date().toISOString(),
      });
    }
    try {
      await this.#followers.get(link)?.event(link, event);
    } catch (error) {
      // A throw would end the subscription (and ack nothing): said, and the fleet followed on.
      this.#logger.error(
        { fleet: link.name, err: error },
        `fleet ${link.name}: ${event.event} not applied`,
      );
    }
  }

  #connection(link: FleetLink, connected: boolean, reason?: Error): void {
    const { name } = link;
    if (connected) {
      this.#logger.info({ fleet: name }, `fleet ${name}: control socket connected again`);
    } else {
      this.#logger.warn(
        { fleet: name, reason: reason?.message },
        `fleet ${name}: lost its control socket (${reason?.message ?? 'closed'}); keeping its backends, reconnecting`,
      );
    }
    this.emit('fleet-connection', {
      fleet: name,
      connected,
      ...(reason && { reason: reason.message }),
      at: new Date().toISOString(),
    });
  }
}

/** A command to the fleet's primary; its failure as a FleetCommandError naming the fleet. */
async function command<T>(
  link: FleetLink,
  send: (control: ReturnType<FleetLink['control']>) => Promise<T>,
): Promise<T> {
  const control = link.control();
  try {
    return await send(control);
  } catch (error) {
    const { message, remoteCode } = error as Error & { remoteCode?: string };
    throw new FleetCommandError(link.name, message, remoteCode, { cause: error });
  }
}
