import type { ServerResponse } from 'node:http';
import type { AdminEvent, AdminStatsEvent } from './admin-types.js';

export interface EventStreamOptions {
  /** How often every subscriber gets the stats. */
  statsIntervalMs: number;
  /** A comment line this often, so proxies and clients see the stream alive. */
  heartbeatMs: number;
  /** What a subscriber may have unsent before it is dropped. */
  maxBufferedBytes: number;
  /** The `retry:` a client waits before it reconnects. */
  retryMs: number;
  /** How many of the last backend and fleet events a reconnecting client can catch up on. */
  replayEvents: number;
}

export const EVENT_STREAM_DEFAULTS: EventStreamOptions = {
  statsIntervalMs: 1_000,
  heartbeatMs: 15_000,
  maxBufferedBytes: 1024 * 1024,
  retryMs: 2_000,
  replayEvents: 256,
};

/** An event as sent, kept for the clients that reconnect with `Last-Event-ID`. */
interface SentEvent {
  id: number;
  text: string;
}

/**
 * `GET /api/v1/events`, Server-Sent Events to every subscriber: each backend event at once, the
 * stats every `statsIntervalMs`, a heartbeat comment between. Every event has an `id:` one more
 * than the last. A subscriber that does not read (slow, or gone without closing) is dropped as
 * soon as what it has not taken goes over `maxBufferedBytes`, so none grows the balancer's memory
 * without bound; one timer serves them all, and runs only while there is one.
 *
 * A client that reconnects with `Last-Event-ID` (an EventSource does, by itself) first gets the
 * backend and fleet events it missed, from the last `replayEvents`: a dashboard that lost its
 * connection for a few seconds still sees the backend that went down and came back meanwhile.
 * Stats are not kept: the stats sent at once are the current ones.
 */
export class EventStream {
  readonly #stats: () => Promise<AdminStatsEvent>;
  readonly #options: EventStreamOptions;
  readonly #subscribers = new Set<ServerResponse>();
  #lastId = 0;
  /** The last `replayEvents` events but stats, oldest first; kept with no subscriber too. */
  readonly #history: SentEvent[] = [];
  #timer: NodeJS.Timeout | undefined;
  #sinceHeartbeatMs = 0;
  #collecting = false;

  constructor(stats: () => Promise<AdminStatsEvent>, options: EventStreamOptions) {
    this.#stats = stats;
    this.#options = options;
  }

  get subscribers(): number {
    return this.#subscribers.size;
  }

  /**
   * Answers `res` with the stream: the events after `lastEventId` that are still kept, the stats
   * at once, then everything published.
   */
  subscribe(res: ServerResponse, lastEventId?: string): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // nginx in front must not buffer the stream
    });
    res.write(`retry: ${this.#options.retryMs}\n: koa-fleet balancer events\n\n`);
    for (const missed of this.#missedSince(lastEventId)) res.write(missed.text);
    this.#subscribers.add(res);
    res.once('close', () => this.#drop(res));
    this.#start();
    void this.#collect(res);
  }

  publish(event: AdminEvent): void {
    const kept = event.event !== 'stats' && this.#options.replayEvents > 0;
    if (this.#subscribers.size === 0 && !kept) return;
    const id = ++this.#lastId;
    const text = `id: ${id}\nevent: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
    if (kept) {
      this.#history.push({ id, text });
      if (this.#history.length > this.#options.replayEvents) this.#history.shift();
    }
    for (const res of this.#subscribers) this.#write(res, text);
  }

  /**
   * The kept events after `lastEventId`. An id that is not a number, or one this stream never
   * sent (a client of an earlier balancer process), gets none.
   */
  #missedSince(lastEventId: string | undefined): SentEvent[] {
    if (lastEventId === undefined || !/^\d{1,15}$/.test(lastEventId)) return [];
    const seen = Number(lastEventId);
    if (seen > this.#lastId) return [];
    return this.#history.filter((event) => event.id > seen);
  }

  /** Ends every subscriber's stream (the admin listener is closing). */
  close(): void {
    for (const res of this.#subscribers) res.end();
    this.#subscribers.clear();
    this.#stop();
  }

  #write(res: ServerResponse, text: string): void {
    res.write(text);
    if (res.writableLength > this.#options.maxBufferedBytes) res.destroy();
  }

  #drop(res: ServerResponse): void {
    this.#subscribers.delete(res);
    if (this.#subscribers.size === 0) this.#stop();
  }

  #start(): void {
    if (this.#timer) return;
    this.#sinceHeartbeatMs = 0;
    this.#timer = setInterval(() => this.#tick(), this.#options.statsIntervalMs);
    this.#timer.unref();
  }

  #stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    this.#sinceHeartbeatMs += this.#options.statsIntervalMs;
    if (this.#sinceHeartbeatMs >= this.#options.heartbeatMs) {
      this.#sinceHeartbeatMs = 0;
      for (const res of this.#subscribers) this.#write(res, ': heartbeat\n\n');
    }
    void this.#collect();
  }

  /** The stats to every subscriber, or to `only` (a new one); one collection at a time. */
  async #collect(only?: ServerResponse): Promise<void> {
    if (this.#collecting && !only) return; // the last one is still gathering (--workers)
    if (!only) this.#collecting = true;
    try {
      const data = await this.#stats();
      if (!only) this.publish({ event: 'stats', data });
      else if (this.#subscribers.has(only)) {
        const text = `id: ${++this.#lastId}\nevent: stats\ndata: ${JSON.stringify(data)}\n\n`;
        this.#write(only, text);
      }
    } catch {
      // No stats this second (a fleet that is stopping): the next tick tries again.
    } finally {
      if (!only) this.#collecting = false;
    }
  }
}
