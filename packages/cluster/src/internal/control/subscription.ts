import type { Socket } from 'node:net';
import { CONTROL_PROTOCOL_VERSION } from '@koa-fleet/contracts';
import type { ControlAck, ControlEvent, ControlHello, ControlRequest } from '@koa-fleet/contracts';
import {
  ControlProtocolError,
  ControlRemoteError,
  ControlSocketClosedError,
  ControlVersionError,
} from '../../errors.js';
import { connectControl, jsonLines, parseLine } from './control-client.js';

/** Called once per event, in order; the next waits for the promise it returns. */
export type ControlEventHandler = (event: ControlEvent) => void | Promise<void>;

/**
 * The client's end of a `subscribe` connection: the hello, then each event to the handler in
 * order, acking a `worker-draining` once its handler is done (so the primary drains the worker
 * only after the caller, e.g. a balancer, stopped routing to it).
 */
export class Subscription {
  /** Why the subscription ended: undefined after close(); never rejects. */
  readonly closed: Promise<Error | undefined>;
  readonly #socket: Socket;
  readonly #handler: ControlEventHandler;
  #hello: ControlHello | undefined;
  readonly #helloReceived: Promise<ControlHello>;
  #queue: Promise<void> = Promise.resolve();
  /** Set by close() or a failure: nothing more is delivered, and this is what `closed` says. */
  #ended: { reason: Error | undefined } | undefined;

  private constructor(socket: Socket, handler: ControlEventHandler) {
    this.#socket = socket;
    this.#handler = handler;
    let helloCame!: (hello: ControlHello) => void;
    let noHello!: (error: Error) => void;
    this.#helloReceived = new Promise((resolve, reject) => {
      helloCame = resolve;
      noHello = reject;
    });
    // One listener from the first line on: readline emits every line of a chunk at once, so the
    // events that arrive with the hello must not wait for anyone to attach a second one.
    jsonLines(socket).on('line', (line) => {
      if (this.#hello) return this.#receive(line);
      try {
        this.#hello = readHello(line);
        helloCame(this.#hello);
      } catch (error) {
        this.#end(error as Error);
        noHello(error as Error);
      }
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        noHello(
          new ControlSocketClosedError('the primary closed the subscription before its hello'),
        );
        // What the primary sent before it closed is still delivered, in order.
        void this.#queue.then(() =>
          resolve(
            this.#ended
              ? this.#ended.reason
              : new ControlSocketClosedError(
                  'the primary ended the subscription (the fleet stopped, or the primary is gone)',
                ),
          ),
        );
      }),
    );
  }

  /** Connects, subscribes, and resolves once the primary's hello came. */
  static async open(path: string, handler: ControlEventHandler): Promise<Subscription> {
    const socket = await connectControl(path);
    const subscription = new Subscription(socket, handler);
    const request: ControlRequest = { command: 'subscribe', version: CONTROL_PROTOCOL_VERSION };
    socket.write(`${JSON.stringify(request)}\n`);
    await subscription.#helloReceived;
    return subscription;
  }

  /** The fleet and its workers as of `hello.seq`; every event delivered comes after it. */
  get hello(): ControlHello {
    return this.#hello!; // open() resolves only once it came
  }

  /** Ends the subscription; `closed` then resolves with undefined. */
  close(): void {
    this.#end(undefined);
  }

  #receive(line: string): void {
    if (this.#ended) return;
    let value: Record<string, unknown>;
    try {
      value = parseLine(line);
    } catch (error) {
      return this.#end(error as Error);
    }
    if (value.ok === false) {
      return this.#end(new ControlRemoteError(String(value.message), String(value.code)));
    }
    if (typeof value.event !== 'string' || typeof value.seq !== 'number') {
      const start = line.slice(0, 80);
      return this.#end(new ControlProtocolError(`an event has no "event" and "seq": ${start}`));
    }
    const event = value as unknown as ControlEvent;
    this.#queue = this.#queue.then(() => this.#deliver(event));
  }

  async #deliver(event: ControlEvent): Promise<void> {
    if (this.#ended) return;
    try {
      await this.#handler(event);
    } catch (error) {
      // A failing handler is the caller's bug: said through `closed`, not swallowed.
      return this.#end(error instanceof Error ? error : new Error(String(error)));
    }
    if (event.event === 'worker-draining' && this.#socket.writable) {
      const ack: ControlAck = { ack: event.seq };
      this.#socket.write(`${JSON.stringify(ack)}\n`);
    }
  }

  #end(reason: Error | undefined): void {
    if (this.#ended) return;
    this.#ended = { reason };
    this.#socket.destroy();
  }
}

function readHello(line: string): ControlHello {
  const value = parseLine(line);
  if (value.ok === false) throw new ControlRemoteError(String(value.message), String(value.code));
  if (value.event !== 'hello') {
    throw new ControlProtocolError(`the first line is not a hello: ${line.slice(0, 80)}`);
  }
  if (value.version !== CONTROL_PROTOCOL_VERSION) {
    throw new ControlVersionError(value.version, CONTROL_PROTOCOL_VERSION);
  }
  return value as unknown as ControlHello;
}
