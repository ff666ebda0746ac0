import { controlSocketPath } from '@koa-fleet/contracts';
import type {
  ControlHello,
  ControlReplies,
  ControlReply,
  ControlRequest,
  ControlWorker,
  FleetStats,
} from '@koa-fleet/contracts';
import { InvalidOptionError, checkKnownKeys, checkString } from '@koa-fleet/errors';
import { ControlRemoteError } from './errors.js';
import { connectControl, sendControl } from './internal/control/control-client.js';
import { Subscription } from './internal/control/subscription.js';
import type { ControlEventHandler } from './internal/control/subscription.js';

export type { ControlEventHandler } from './internal/control/subscription.js';

/** Which fleet: the `--pid-file` it was started with, or its `controlSocket` path. */
export type FleetControlTarget = { pidFile: string } | { socketPath: string };

/** A subscription to a fleet's events (see `FleetControl.subscribe`). */
export interface FleetSubscription {
  /** The fleet and every slot's workers as of `hello.seq`; each event delivered comes after. */
  readonly hello: ControlHello;
  /**
   * Resolves once the subscription ended, after the last event was handled: with undefined after
   * close(), else with why — `KF_FLEET_CONTROL_CLOSED` (the fleet stopped or the primary is
   * gone), a protocol error, or the error the handler threw. Never rejects. Reconnecting is the
   * caller's decision.
   */
  readonly closed: Promise<Error | undefined>;
  close(): void;
}

/** A client of a running fleet's control socket. */
export interface FleetControl {
  readonly socketPath: string;
  /**
   * Follows the fleet: resolves once the hello came, then calls `handler` once per event, in
   * order (the next waits for the promise it returns). A `worker-draining` is acknowledged when
   * its handler is done, and the primary drains that worker only then (or after
   * `controlAckTimeout`), so stop routing to the worker inside the handler.
   */
  subscribe(handler: ControlEventHandler): Promise<FleetSubscription>;
  /** The fleet's `FleetStats`, as `fleet.stats()` in the primary. */
  stats(): Promise<FleetStats>;
  /** Rolling reload; rejects with `ControlRemoteError` (`remoteCode` `KF_RELOAD_ABORTED`, …). */
  reload(): Promise<void>;
  /** Graceful restart of one slot; resolves with the new worker once it is ready. */
  restartWorker(slot: number): Promise<ControlWorker>;
  /** Graceful stop; resolves with the fleet's exit code once it has stopped. */
  stop(): Promise<number>;
  /** Ends every subscription this client opened. */
  close(): void;
}

/**
 * A client of a running fleet's control socket, once it answers: rejects with
 * `ControlConnectError` (`KF_FLEET_CONTROL_CONNECT`) when nothing listens there. Each command
 * opens its own connection; each subscription keeps one open.
 */
export async function connectFleetControl(target: FleetControlTarget): Promise<FleetControl> {
  const socketPath = resolveTarget(target);
  (await connectControl(socketPath)).end();
  return new Client(socketPath);
}

function resolveTarget(target: FleetControlTarget): string {
  if (typeof target !== 'object' || target === null) {
    throw new InvalidOptionError('target', '{ pidFile } or { socketPath }', target);
  }
  checkKnownKeys('', target, ['pidFile', 'socketPath']);
  if ('pidFile' in target === 'socketPath' in target) {
    throw new InvalidOptionError('target', 'exactly one of pidFile and socketPath', target);
  }
  return 'pidFile' in target
    ? controlSocketPath(checkString('pidFile', target.pidFile))
    : checkString('socketPath', target.socketPath);
}

class Client implements FleetControl {
  readonly socketPath: string;
  readonly #subscriptions = new Set<Subscription>();

  constructor(socketPath: string) {
    this.socketPath = socketPath;
  }

  async subscribe(handler: ControlEventHandler): Promise<FleetSubscription> {
    if (typeof handler !== 'function') {
      throw new InvalidOptionError(
        'handler',
        'a function (event) => void | Promise<void>',
        handler,
      );
    }
    const subscription = await Subscription.open(this.socketPath, handler);
    this.#subscriptions.add(subscription);
    void subscription.closed.then(() => this.#subscriptions.delete(subscription));
    return subscription;
  }

  async stats(): Promise<FleetStats> {
    return (await this.#send({ command: 'stats' })).stats;
  }

  async reload(): Promise<void> {
    await this.#send({ command: 'reload' });
  }

  async restartWorker(slot: number): Promise<ControlWorker> {
    return (await this.#send({ command: 'restart-worker', slot })).worker;
  }

  async stop(): Promise<number> {
    return (await this.#send({ command: 'stop' })).exitCode;
  }

  close(): void {
    for (const subscription of this.#subscriptions) subscription.close();
  }

  async #send<C extends Exclude<ControlRequest['command'], 'subscribe'>>(
    request: Extract<ControlRequest, { command: C }>,
  ): Promise<ControlReplies[C]> {
    const reply: ControlReply = await sendControl(this.socketPath, request);
    if (!reply.ok) throw new ControlRemoteError(reply.message, reply.code);
    return reply as ControlReplies[C];
  }
}
