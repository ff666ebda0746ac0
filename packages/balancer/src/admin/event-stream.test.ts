import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENT_STREAM_DEFAULTS, EventStream } from './event-stream.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(stream: EventStream): Promise<number> {
  server = createServer((req, res) => {
    const lastEventId = req.headers['last-event-id'];
    stream.subscribe(res, typeof lastEventId === 'string' ? lastEventId : undefined);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('EventStream', () => {
  it('drops a subscriber that stops reading once its backlog passes the limit, and keeps the one that reads', async () => {
    const maxBufferedBytes = 64 * 1024;
    const stream = new EventStream(async () => ({ backends: [], at: 'now' }), {
      ...EVENT_STREAM_DEFAULTS,
      maxBufferedBytes,
      statsIntervalMs: 60_000,
    });
    const port = await serve(stream);

    // A subscriber that never reads: a raw socket, paused after its request.
    const stuck = connect(port, '127.0.0.1');
    stuck.on('error', () => {});
    stuck.write('GET /events HTTP/1.1\r\nHost: admin\r\n\r\n');
    stuck.pause();
    // One that reads every event.
    let ids: number[] = [];
    const reader = await new Promise<IncomingMessage>((resolve) =>
      get(`http://127.0.0.1:${port}/`, resolve),
    );
    reader.setEncoding('utf8');
    reader.on('data', (text: string) => {
      ids = ids.concat([...text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1])));
    });
    while (stream.subscribers < 2) await nextTurn();

    const padding = 'x'.repeat(16 * 1024);
    let published = 0;
    while (stream.subscribers === 2 && published < 10_000) {
      stream.publish({ event: 'stats', data: { backends: [], at: padding } });
      published++;
      await nextTurn();
    }
    expect(stream.subscribers).toBe(1); // the stuck one went, long before 160 MB were queued
    expect(published).toBeLessThan(10_000);
    for (let i = 0; i < 3; i++) {
      stream.publish({ event: 'stats', data: { backends: [], at: 'later' } });
    }
    while (ids.length < published + 3) await nextTurn();
    // Ids rise one by one: 1 is the reader's first stats, sent when it subscribed (or the stuck one's).
    const sorted = [...ids].sort((a, b) => a - b);
    expect(ids).toEqual(sorted);
    expect(new Set(ids).size).toBe(ids.length);
    reader.destroy();
    stuck.destroy();
    stream.close();
  });

  it('sends retry: at once, the stats on subscribing, then stats and a heartbeat every interval', async () => {
    let collected = 0;
    const stream = new EventStream(async () => ({ backends: [], at: String(++collected) }), {
      ...EVENT_STREAM_DEFAULTS,
      statsIntervalMs: 20,
      heartbeatMs: 40,
    });
    const port = await serve(stream);
    const res = await new Promise<IncomingMessage>((resolve) =>
      get(`http://127.0.0.1:${port}/`, resolve),
    );
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    res.setEncoding('utf8');
    let text = '';
    res.on('data', (chunk: string) => (text += chunk));
    while ((text.match(/^event: stats$/gm) ?? []).length < 3 || !text.includes(': heartbeat')) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(text.startsWith(`retry: ${EVENT_STREAM_DEFAULTS.retryMs}\n`)).toBe(true);
    expect(text).toMatch(/^id: 1\nevent: stats\ndata: \{"backends":\[\],"at":"1"\}\n\n/m);
    res.destroy();
    while (stream.subscribers > 0) await nextTurn();
    stream.close();
  });

  it('replays the kept backend events after Last-Event-ID to a client that reconnects, and none to an id it never sent', async () => {
    const stream = new EventStream(async () => ({ backends: [], at: 'now' }), {
      ...EVENT_STREAM_DEFAULTS,
      statsIntervalMs: 60_000,
      replayEvents: 2,
    });
    const port = await serve(stream);
    // Published while nobody listens: ids 1, 2, 3; only the last 2 are kept.
    for (const state of ['down', 'up', 'draining'] as const) {
      stream.publish({
        event: 'backend-state',
        data: { backend: 'http://127.0.0.1:1', state, previous: 'up', at: state },
      });
    }
    const firstEvents = async (lastEventId?: string) => {
      const res = await new Promise<IncomingMessage>((resolve) =>
        get(
          `http://127.0.0.1:${port}/`,
          { headers: lastEventId === undefined ? {} : { 'last-event-id': lastEventId } },
          resolve,
        ),
      );
      res.setEncoding('utf8');
      let text = '';
      res.on('data', (chunk: string) => (text += chunk));
      while (!text.includes('event: stats')) await new Promise((resolve) => setTimeout(resolve, 5));
      res.destroy();
      return [...text.matchAll(/^id: (\d+)\nevent: ([\w-]+)$/gm)].map(
        (match) => `${match[1]} ${match[2]}`,
      );
    };

    expect(await firstEvents('1')).toEqual(['2 backend-state', '3 backend-state', '4 stats']);
    expect(await firstEvents('0')).toEqual(['2 backend-state', '3 backend-state', '5 stats']);
    expect(await firstEvents('3')).toEqual(['6 stats']);
    expect(await firstEvents()).toEqual(['7 stats']);
    expect(await firstEvents('999')).toEqual(['8 stats']); // not this stream's: nothing to replay
    expect(await firstEvents('not-a-number')).toEqual(['9 stats']);
    stream.close();
  });
});
