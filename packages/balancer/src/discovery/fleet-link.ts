import type {
  ControlEvent,
  ControlHello,
  FleetControl,
  FleetSubscription,
  WorkerState,
} from '@koa-fleet/cluster';
import type { FleetLogger } from '@koa-fleet/contracts';
import { isFleetError } from '@koa-fleet/errors';
import { urlHost } from '../internal/url-host.js';
import { FleetCommandError, FleetConnectError } from '../errors.js';
import type { ResolvedFleet } from './fleet-options.js';

/** One worker of a followed fleet, as its latest event (or the hello) left it. */
export interface LinkWorker {
  workerId: number;
  pid: number;
  generation: number;
  state: WorkerState;
  port: number;
  /** Its backend's URL: `http://<fleet host>:<port>`. */
  url: string;
}

/** What a link tells whoever follows the fleet; it never throws (a throw would end the subscription). */
export interface FleetLinkListener {
  /** The worker table was rebuilt from a hello: the first one, or after a reconnect. */
  synced(link: FleetLink): Promise<void>;
  /** One event, once the table has it: a `worker-draining` is acknowledged when this resolves. */
  event(link: FleetLink, event: ControlEvent): Promise<void>;
  /** The subscription was lost (the primary went away), or is back. */
  connection(link: FleetLink, connected: boolean, reason?: Error): void;
}

const STATE_AFTER = {
  'worker-starting': 'starting',
  'worker-ready': 'ready',
  'worker-draining': 'draining',
} as const satisfies Record<string, WorkerState>;

const RECONNECT_FIRST_MS = 200;
const RECONNECT_MAX_MS = 5_000;

/**
 * The balancer's end of one fleet's control socket: a subscription that keeps the table of the
 * fleet's workers (by pid: a slot has two while its replacement starts, on the same port), and a
 * client for its commands. When the primary goes away the table is kept as it was, and the link
 * reconnects with a backoff; the new hello replaces the table.
 */
export class FleetLink {
  readonly fleet: ResolvedFleet;
  readonly #listener: FleetLinkListener;
  readonly #logger: FleetLogger;
  readonly #workers = new Map<number, LinkWorker>();
  #host = '127.0.0.1';
  #control: FleetControl | undefined;
  #subscription: FleetSubscription | undefined;
  #closed = false;
  #retryMs = RECONNECT_FIRST_MS;
  #retryTimer: NodeJS.Timeout | undefined;

  constructor(fleet: ResolvedFleet, listener: FleetLinkListener, logger: FleetLogger) {
    this.fleet = fleet;
    this.#listener = listener;
    this.#logger = logger;
  }

  get name(): string {
    return this.fleet.name;
  }

  get connected(): boolean {
    return this.#subscription !== undefined;
  }

  /** The workers now, in slot order. */
  get workers(): LinkWorker[] {
    return [...this.#workers.values()].sort((a, b) => a.workerId - b.workerId || a.pid - b.pid);
  }

  /** Connects and subscribes; rejects with a FleetConnectError naming the fleet. */
  async open(): Promise<void> {
    await this.#connect();
  }

  /** The fleet's control client, to send it a command; a FleetCommandError when not connected. */
  control(): FleetControl {
    if (!this.#control || !this.#subscription) {
      throw new FleetCommandError(this.name, 'not connected to its control socket now');
    }
    return this.#control;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#subscription?.close();
    this.#control?.close();
    this.#subscription = undefined;
  }

  async #connect(): Promise<void> {
    const { control: where, target } = this.fleet;
    // Only here: a balancer without fleets never loads the cluster.
    const { connectFleetControl } = await import('@koa-fleet/cluster');
    let control: FleetControl;
    try {
      control = await connectFleetControl(target);
    } catch (error) {
      throw new FleetConnectError(this.name, where, messageOf(error), { cause: error });
    }
    let synced!: () => void;
    const helloHandled = new Promise<void>((resolve) => (synced = resolve));
    let subscription: FleetSubscription;
    try {
      // Events that came with the hello wait for the table the hello makes.
      subscription = await control.subscribe(async (event) => {
        await helloHandled;
        await this.#receive(event);
      });
    } catch (error) {
      control.close();
      throw new FleetConnectError(this.name, where, messageOf(error), { cause: error });
    }
    const { hello } = subscription;
    if (!hello.fleet.perWorkerPorts) {
      subscription.close();
      control.close();
      throw new FleetConnectError(
        this.name,
        where,
        'it runs without perWorkerPorts: its workers share one port, so the balancer cannot take one out while it drains (start it with --per-worker-ports)',
      );
    }
    if (this.#closed) {
      subscription.close();
      control.close();
      return;
    }
    this.#control = control;
    this.#subscription = subscription;
    this.#retryMs = RECONNECT_FIRST_MS;
    this.#table(hello);
    await this.#listener.synced(this);
    synced();
    void subscription.closed.then((reason) => this.#lost(subscription, reason));
  }

  #table(hello: ControlHello): void {
    this.#host = urlHost(hello.fleet.host);
    this.#workers.clear();
    for (const worker of hello.workers) {
      if (worker.port === undefined || worker.state === 'stopped' || worker.state === 'crashed') {
        continue;
      }
      this.#workers.set(worker.pid, { ...worker, port: worker.port, url: this.#url(worker.port) });
    }
  }

  async #receive(event: ControlEvent): Promise<void> {
    if (
      event.event !== 'worker-starting' &&
      event.event !== 'worker-ready' &&
      event.event !== 'worker-draining' &&
      event.event !== 'worker-exit'
    ) {
      return this.#listener.event(this, event);
    }
    const { workerId, pid, generation, port } = event;
    if (event.event === 'worker-exit') {
      this.#workers.delete(pid);
    } else if (port !== undefined) {
      this.#workers.set(pid, {
        workerId,
        pid,
        generation,
        state: STATE_AFTER[event.event],
        port,
        url: this.#url(port),
      });
    }
    await this.#listener.event(this, event);
  }

  #lost(subscription: FleetSubscription, reason: Error | undefined): void {
    if (this.#subscription !== subscription) return;
    this.#subscription = undefined;
    this.#control?.close();
    this.#control = undefined;
    if (this.#closed) return;
    this.#listener.connection(this, false, reason);
    this.#retry();
  }

  #retry(): void {
    this.#retryTimer = setTimeout(() => {
      this.#connect().then(
        () => {
          if (this.connected) this.#listener.connection(this, true);
        },
        (error: unknown) => {
          this.#logger.debug(
            { fleet: this.name, err: error },
            `fleet ${this.name}: still not connected, next try in ${this.#retryMs} ms`,
          );
          this.#retryMs = Math.min(this.#retryMs * 2, RECONNECT_MAX_MS);
          if (!this.#closed) this.#retry();
        },
      );
    }, this.#retryMs);
    this.#retryTimer.unref();
  }

  #url(port: number): string {
    return `http://${this.#host}:${port}`;
  }
}

function messageOf(error: unknown): string {
  if (isFleetError(error) || error instanceof Error) return error.message;
  return String(error);
}
