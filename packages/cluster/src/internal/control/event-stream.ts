import type { Socket } from 'node:net';
import type { ControlEvent, ControlHello } from '@koa-fleet/contracts';
import type { Logger } from 'pino';
import { plural } from '../shared/plural.js';
import type { ControlEventBody } from './control-events.js';
import { Subscriber } from './subscriber.js';

export interface EventStreamOptions {
  /** How long a `worker-draining` waits for every subscriber's ack. */
  ackTimeout: number;
  logger: Logger;
}

/**
 * The fleet's events to every subscriber, numbered: one `seq` per event for all of them, so a
 * `hello` taken between two events says which ones it already contains.
 */
export class EventStream {
  readonly #options: EventStreamOptions;
  readonly #subscribers = new Set<Subscriber>();
  #seq = 0;
  #nextId = 1;

  constructor(options: EventStreamOptions) {
    this.#options = options;
  }

  /** A new subscriber, sent the `hello` built for the current `seq` before any later event. */
  add(socket: Socket, hello: (seq: number) => ControlHello): Subscriber {
    const subscriber = new Subscriber(this.#nextId++, socket, this.#options.logger);
    this.#subscribers.add(subscriber);
    void subscriber.closed.then(() => this.#subscribers.delete(subscriber));
    subscriber.send(hello(this.#seq));
    return subscriber;
  }

  /** Sends the event to every subscriber; returns its `seq`. */
  publish(body: ControlEventBody): number {
    const seq = ++this.#seq;
    // Omit<…, 'seq'> of each member plus its seq: the member again, which TS cannot see itself.
    const line = { ...body, seq } as ControlEvent;
    for (const subscriber of this.#subscribers) subscriber.send(line);
    return seq;
  }

  /**
   * Sends the event and resolves once every subscriber that got it acknowledged it, left, or
   * `ackTimeout` passed — so no subscriber can hold the fleet longer than that.
   */
  async publishAcknowledged(body: ControlEventBody): Promise<void> {
    const audience = [...this.#subscribers];
    const seq = this.publish(body);
    if (audience.length === 0) return;
    const pending = new Set(audience);
    const acks = audience.map((s) => s.acknowledged(seq).then(() => pending.delete(s)));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), this.#options.ackTimeout);
    });
    const late = await Promise.race([Promise.all(acks).then(() => false), timedOut]);
    clearTimeout(timer);
    if (late && pending.size > 0) {
      for (const subscriber of pending) subscriber.forget(seq);
      const ids = [...pending].map((s) => s.id);
      this.#options.logger.warn(
        { seq, event: body.event, subscribers: ids, ackTimeout: this.#options.ackTimeout },
        `${body.event} ${seq}: ${plural(ids.length, 'control subscriber')} did not acknowledge within ${this.#options.ackTimeout} ms; going on`,
      );
    }
  }

  /** Ends every subscription; one that does not close within `ackTimeout` is cut. */
  async end(): Promise<void> {
    const subscribers = [...this.#subscribers];
    for (const subscriber of subscribers) subscriber.end();
    await Promise.all(
      subscribers.map(async (subscriber) => {
        let timer: NodeJS.Timeout | undefined;
        const cut = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, this.#options.ackTimeout);
        });
        await Promise.race([subscriber.closed, cut]);
        clearTimeout(timer);
        subscriber.destroy();
      }),
    );
  }
}
