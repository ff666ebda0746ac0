import type { Socket } from 'node:net';
import type { ControlFailure, ControlSubscriptionLine } from '@koa-fleet/contracts';
import type { FleetError } from '@koa-fleet/errors';
import type { Logger } from 'pino';
import { parseAck } from './control-request.js';

/**
 * What a subscriber may leave unread before it is dropped: far more than a burst of events (each
 * is about 150 bytes), so only a client that stopped reading reaches it, and its buffer cannot
 * grow without bound in the primary.
 */
export const MAX_UNREAD_BYTES = 1024 * 1024;

/** One `subscribe` connection: the lines it is sent, and the acks it sends back. */
export class Subscriber {
  /** Numbers the subscribers of one primary, for its logs. */
  readonly id: number;
  readonly closed: Promise<void>;
  readonly #socket: Socket;
  readonly #logger: Logger;
  /** The highest `seq` acknowledged: every event up to it is. */
  #acked = 0;
  readonly #waiting = new Set<{ seq: number; wake: () => void }>();

  constructor(id: number, socket: Socket, logger: Logger) {
    this.id = id;
    this.#socket = socket;
    this.#logger = logger;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    // Gone is as good as acknowledged: a subscriber that left must not hold a drain.
    void this.closed.then(() => this.#wake(Number.MAX_SAFE_INTEGER));
  }

  get open(): boolean {
    return !this.#socket.destroyed;
  }

  /** Writes one line; a subscriber that left this much unread is dropped instead. */
  send(line: ControlSubscriptionLine): void {
    if (!this.#socket.writable) return;
    if (this.#socket.writableLength > MAX_UNREAD_BYTES) {
      this.#logger.warn(
        { subscriber: this.id, unreadBytes: this.#socket.writableLength },
        `control subscriber ${this.id} stopped reading: closing it`,
      );
      this.#socket.destroy();
      return;
    }
    this.#socket.write(`${JSON.stringify(line)}\n`);
  }

  /** A line from the subscriber: an ack, or anything else, which ends the subscription. */
  receive(line: string): void {
    try {
      this.#wake(parseAck(line).ack);
    } catch (error) {
      this.fail(error as FleetError);
    }
  }

  /** Resolves once event `seq` is acknowledged, or the subscriber is gone. */
  acknowledged(seq: number): Promise<void> {
    if (this.#acked >= seq || !this.open) return Promise.resolve();
    return new Promise((wake) => this.#waiting.add({ seq, wake }));
  }

  /** Stops waiting for acks up to `seq` (the bound passed): nothing piles up for a silent one. */
  forget(seq: number): void {
    for (const waiter of this.#waiting) if (waiter.seq <= seq) this.#waiting.delete(waiter);
  }

  /** Says why, then closes. */
  fail(error: FleetError): void {
    const failure: ControlFailure = { ok: false, code: error.code, message: error.message };
    this.send(failure);
    this.end();
  }

  /** Ends the stream once what is written is read. */
  end(): void {
    this.#socket.end();
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #wake(ack: number): void {
    if (ack <= this.#acked) return;
    this.#acked = ack;
    for (const waiter of this.#waiting) {
      if (waiter.seq > ack) continue;
      this.#waiting.delete(waiter);
      waiter.wake();
    }
  }
}
