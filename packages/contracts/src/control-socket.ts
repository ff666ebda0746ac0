/**
 * The primary's control socket: a unix socket (next to the pid file under the CLI), so
 * `koa-fleet reload` learns whether the reload worked (a signal cannot answer), a dashboard reads
 * the stats and restarts one worker, and a balancer follows the fleet's workers.
 *
 * Every line is one JSON object. A command connection sends one request line and reads one reply
 * line, then the primary closes it. A `subscribe` connection stays open: the primary sends a
 * `hello`, then one line per fleet event; the client sends `{"ack": seq}` lines back.
 */
import type { FleetStats, FleetStatus, WorkerState } from './stats.js';

/** The socket lives next to the pid file: `<pidFile>.sock`. */
export function controlSocketPath(pidFile: string): string {
  return `${pidFile}.sock`;
}

/**
 * The version of the subscription protocol (`hello`, events, acks). A subscriber names the version
 * it speaks; the primary refuses any other with `KF_FLEET_CONTROL_VERSION`. The command replies
 * only ever gain fields.
 */
export const CONTROL_PROTOCOL_VERSION = 1;

export type ControlCommand = ControlRequest['command'];

/** The line a client sends first. */
export type ControlRequest =
  | { command: 'reload' }
  | { command: 'stop' }
  | { command: 'stats' }
  /** Graceful restart of one slot (its `workerId`): answered once the new worker is ready. */
  | { command: 'restart-worker'; slot: number }
  | { command: 'subscribe'; version: typeof CONTROL_PROTOCOL_VERSION };

/** What a subscriber sends back: every `worker-draining` event with `seq` ≤ `ack` is acknowledged. */
export interface ControlAck {
  ack: number;
}

/** An error in an event: its `KF_…` code (absent for a plugin's own error without one) and message. */
export interface ControlErrorInfo {
  code?: string;
  message: string;
}

/** The reply to a command that failed, or to a line that is not a request (then the socket closes). */
export interface ControlFailure {
  ok: false;
  /** A stable `KF_…` code. */
  code: string;
  message: string;
}

/** One worker as a subscriber sees it; `port` only with per-worker ports (its own port). */
export interface ControlWorker {
  /** The slot, stable across restarts (`restart-worker`'s `slot`). */
  workerId: number;
  pid: number;
  generation: number;
  state: WorkerState;
  port?: number;
}

/** The reply to each command, by command. */
export interface ControlReplies {
  reload: { ok: true };
  stop: { ok: true; exitCode: number };
  stats: { ok: true; stats: FleetStats };
  'restart-worker': { ok: true; worker: ControlWorker };
}

/** The line the primary answers a command with (`subscribe` is answered by a `hello`). */
export type ControlReply = ControlReplies[keyof ControlReplies] | ControlFailure;

/** The fleet as a new subscriber first sees it. */
export interface ControlFleetInfo {
  /** The primary's pid. */
  pid: number;
  /** The address the workers listen on. */
  host: string;
  /** True when each worker has a port of its own (`ControlWorker.port`). */
  perWorkerPorts: boolean;
  status: FleetStatus;
  /** The generation the fleet serves (or is reloading to). */
  generation: number;
  startedAt: number;
}

/**
 * The first line of a subscription: the fleet and every slot's workers (a slot has two while its
 * replacement starts), as of event `seq` — every later event has a higher `seq`.
 */
export interface ControlHello {
  event: 'hello';
  version: typeof CONTROL_PROTOCOL_VERSION;
  seq: number;
  fleet: ControlFleetInfo;
  workers: ControlWorker[];
}

interface Sequenced<E extends string> {
  event: E;
  /** Increases by one per event of the fleet, so a subscriber sees a gap only across reconnects. */
  seq: number;
}

/** A worker event on the socket: the `FleetEvents` payload, plus the worker's own port. */
export interface ControlWorkerEvent {
  workerId: number;
  pid: number;
  generation: number;
  port?: number;
}

/**
 * One line per `FleetEvents` event, with the same name and payload (errors as `{ code, message }`).
 * The primary tells a worker to drain only once every subscriber acknowledged its
 * `worker-draining` (or `ackTimeout` passed), so a balancer stops routing to it first.
 */
export type ControlEvent =
  | (Sequenced<'worker-starting'> & ControlWorkerEvent)
  | (Sequenced<'worker-ready'> & ControlWorkerEvent)
  | (Sequenced<'worker-draining'> & ControlWorkerEvent)
  | (Sequenced<'worker-exit'> &
      ControlWorkerEvent & {
        code: number | null;
        signal: string | null;
        expected: boolean;
        reason: string;
      })
  | (Sequenced<'slot-given-up'> & { workerId: number; error: ControlErrorInfo })
  | (Sequenced<'status'> & { status: FleetStatus })
  | Sequenced<'reload-start'>
  | (Sequenced<'reload-done'> & { ok: boolean; error?: ControlErrorInfo })
  | (Sequenced<'failed'> & { error: ControlErrorInfo });

export type ControlEventName = ControlEvent['event'];

/** A line the primary sends on a subscription: the hello, an event, or a failure before it closes. */
export type ControlSubscriptionLine = ControlHello | ControlEvent | ControlFailure;
