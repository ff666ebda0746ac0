import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { CONTROL_PROTOCOL_VERSION } from '@koa-fleet/contracts';
import type {
  ControlFailure,
  ControlFleetInfo,
  ControlHello,
  ControlReply,
  ControlRequest,
  ControlWorker,
  FleetEvents,
  FleetStats,
  WorkerEvent,
} from '@koa-fleet/contracts';
import { isFleetError } from '@koa-fleet/errors';
import type { FleetError } from '@koa-fleet/errors';
import type { Logger } from 'pino';
import { ControlCommandFailedError, ControlListenError } from '../../errors.js';
import { CONTROL_EVENTS, CONTROL_EVENT_NAMES } from './control-events.js';
import type { ControlEventBody, PortOf } from './control-events.js';
import { parseControlRequest } from './control-request.js';
import { EventStream } from './event-stream.js';

/** What the control socket drives: the fleet, seen through what the protocol needs of it. */
export interface ControlTarget {
  readonly slots: number;
  info(): ControlFleetInfo;
  /** The slot's own port with per-worker ports, else undefined. */
  slotPort(workerId: number): number | undefined;
  stats(): FleetStats;
  reload(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves with the new worker once it is ready. */
  restartWorker(slot: number): Promise<WorkerEvent>;
  on<E extends keyof FleetEvents>(event: E, listener: (...args: FleetEvents[E]) => void): unknown;
}

export interface ControlServerOptions {
  path: string;
  /** How long a `worker-draining` waits for the subscribers' acks. */
  ackTimeout: number;
  logger: Logger;
}

/**
 * The primary's end of the control socket (`@koa-fleet/contracts`' control-socket protocol): one
 * reply per command connection, and the event stream to subscribers, whose acks the fleet awaits
 * before it drains a worker.
 */
export class ControlServer {
  readonly #server: Server;
  readonly #target: ControlTarget;
  readonly #stream: EventStream;
  readonly #logger: Logger;
  /** Workers announced draining and not exited yet: a later hello must not call them ready. */
  readonly #draining = new Set<number>();
  /** Command replies not yet handed to the socket: the primary must not exit before them. */
  readonly #answering = new Set<Promise<void>>();
  #resolveExitCode!: (code: number) => void;
  readonly #exitCode = new Promise<number>((resolve) => (this.#resolveExitCode = resolve));
  #closed: Promise<void> | undefined;

  private constructor(target: ControlTarget, options: ControlServerOptions) {
    this.#target = target;
    this.#logger = options.logger;
    this.#stream = new EventStream(options);
    this.#server = createServer((socket) => this.#connection(socket));
    for (const name of CONTROL_EVENT_NAMES) {
      // worker-draining goes out through announceDraining(), which waits for the acks.
      if (name === 'worker-draining') continue;
      // The table types each converter by its event; TS cannot relate the two generics here.
      const convert = CONTROL_EVENTS[name] as (
        portOf: PortOf,
        ...args: unknown[]
      ) => ControlEventBody;
      target.on(name, (...args) => this.#stream.publish(convert(this.#portOf, ...args)));
    }
    target.on('worker-exit', ({ pid }) => this.#draining.delete(pid));
  }

  /** Listens on `path` (replacing a socket file left by a primary that was killed). */
  static start(target: ControlTarget, options: ControlServerOptions): Promise<ControlServer> {
    const control = new ControlServer(target, options);
    const server = control.#server;
    return new Promise((resolve, reject) => {
      try {
        rmSync(options.path, { force: true });
      } catch (error) {
        return reject(new ControlListenError(options.path, (error as Error).message));
      }
      server.once('error', (error) =>
        reject(new ControlListenError(options.path, error.message, { cause: error })),
      );
      server.listen(options.path, () => {
        server.unref(); // the control socket alone must not keep a stopped primary alive
        options.logger.debug({ path: options.path }, 'control socket listening');
        resolve(control);
      });
    });
  }

  /**
   * Tells every subscriber that the worker will drain, and resolves once all acknowledged (or
   * `ackTimeout` passed): only then is the worker told, so a balancer stops routing to it first.
   */
  announceDraining(event: WorkerEvent): Promise<void> {
    this.#draining.add(event.pid);
    return this.#stream.publishAcknowledged(CONTROL_EVENTS['worker-draining'](this.#portOf, event));
  }

  /**
   * The fleet stopped with `exitCode`: answers `stop` with it, delivers every pending reply, ends
   * the subscriptions and closes the socket.
   */
  close(exitCode: number): Promise<void> {
    this.#closed ??= (async () => {
      this.#resolveExitCode(exitCode);
      this.#server.close();
      while (this.#answering.size > 0) await Promise.all(this.#answering);
      await this.#stream.end();
    })();
    return this.#closed;
  }

  readonly #portOf = (workerId: number) => this.#target.slotPort(workerId);

  #connection(socket: Socket): void {
    socket.on('error', () => {}); // the client went away; its 'close' does the rest
    const lines = createInterface({ input: socket, crlfDelay: Infinity });
    let receive = (line: string) => {
      let request: ControlRequest;
      try {
        request = parseControlRequest(line, this.#target.slots);
      } catch (error) {
        receive = () => {};
        return this.#reply(socket, Promise.resolve(failure(error as FleetError)));
      }
      if (request.command === 'subscribe') {
        const subscriber = this.#stream.add(socket, (seq) => this.#hello(seq));
        this.#logger.debug({ subscriber: subscriber.id }, 'control subscriber connected');
        receive = (next) => subscriber.receive(next);
      } else {
        receive = () => {}; // one command per connection
        this.#reply(socket, this.#answer(request));
      }
    };
    lines.on('line', (line) => receive(line));
  }

  #reply(socket: Socket, reply: Promise<ControlReply>): void {
    const delivered = reply.then(
      (answer) =>
        new Promise<void>((resolve) => {
          if (!socket.writable) return resolve();
          socket.once('close', () => resolve());
          socket.end(`${JSON.stringify(answer)}\n`, () => resolve());
        }),
    );
    this.#answering.add(delivered);
    void delivered.finally(() => this.#answering.delete(delivered));
  }

  async #answer(request: Exclude<ControlRequest, { command: 'subscribe' }>): Promise<ControlReply> {
    try {
      switch (request.command) {
        case 'reload':
          await this.#target.reload();
          return { ok: true };
        case 'stop':
          // stop() resolves after close(), which waits for this reply: take the code from close().
          this.#target.stop().catch(() => {}); // stop() does not reject; never unobserved
          return { ok: true, exitCode: await this.#exitCode };
        case 'stats':
          return { ok: true, stats: this.#target.stats() };
        case 'restart-worker': {
          const worker = await this.#target.restartWorker(request.slot);
          return { ok: true, worker: this.#worker(worker) };
        }
      }
    } catch (error) {
      return failure(
        isFleetError(error) ? error : new ControlCommandFailedError(request.command, error),
      );
    }
  }

  #hello(seq: number): ControlHello {
    return {
      event: 'hello',
      version: CONTROL_PROTOCOL_VERSION,
      seq,
      fleet: this.#target.info(),
      workers: this.#target.stats().workers.map((w) => this.#worker(w, w.state)),
    };
  }

  #worker(
    { workerId, pid, generation }: WorkerEvent,
    state: ControlWorker['state'] = 'ready',
  ): ControlWorker {
    const port = this.#portOf(workerId);
    return {
      workerId,
      pid,
      generation,
      state: state === 'ready' && this.#draining.has(pid) ? 'draining' : state,
      ...(port !== undefined && { port }),
    };
  }
}

function failure(error: FleetError): ControlFailure {
  return { ok: false, code: error.code, message: error.message };
}
