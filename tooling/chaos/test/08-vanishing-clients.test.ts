import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { waitFor } from '@koa-fleet/testkit';
import { abortingDownload } from '../src/clients/aborting-download.js';
import {
  vanishingWebSocket,
  type VanishedWebSocket,
  type VanishStyle,
} from '../src/clients/vanishing-websocket.js';
import { reportScenario, reportSkipped } from '../src/results/record-scenario.js';
import { openSockets, procAvailable, residentBytes } from '../src/system/process-resources.js';
import type { ChaosBalancer } from '../src/system/start-balancer.js';
import type { ChaosFleet } from '../src/system/start-fleet.js';
import { startSystem, type ChaosSystem } from '../src/system/start-system.js';
import { collectWorkerGarbage } from '../src/system/worker-memory.js';
import { workerPids } from '../src/system/worker-pids.js';

const DOWNLOADS = 300;
const WEBSOCKETS_PER_STYLE = 100;
const CONCURRENCY = 30;
/** 2 MB: more than the balancer buffers for a client (1 MiB), so each one leaves mid-body. */
const BODY_BYTES = 2_000_000;
/** The fixture pings every second and drops a client that missed one: found within ~2 s. */
const PING_INTERVAL = 1000;
/**
 * Sockets "back to baseline": at most this many more than before, for a pooled upstream
 * connection the balancer is still closing (its idle timeout is 1 s).
 */
const SOCKET_SLACK = 2;
/**
 * RSS "back": at most this much over the baseline — what the concurrent downloads hold at once
 * in a worker (each body is a string and its Buffer), which the allocator may keep after it is
 * freed. A leak grows with all 300 clients instead (300 bodies are 600 MB); the heap after a
 * full collection is the finer check (HEAP_SLACK_MIB).
 */
const RSS_SLACK_MIB = Math.ceil((CONCURRENCY * BODY_BYTES * 2) / (1024 * 1024));
/**
 * A worker's heap after a full collection: at most this much over the baseline. What one
 * client left behind would be many times that (its WebSocket, its request, a body of 2 MB).
 */
const HEAP_SLACK_MIB = 16;
const MiB = 1024 * 1024;

const TITLE = 'Vanishing clients: aborted downloads and WebSockets gone without a close';
const PROVES =
  'hundreds of clients that leave in the middle of a response, and WebSocket clients that vanish without a close frame (closed, reset, or silent), leave no socket behind in the balancer or the workers, and their memory returns to within a bound of where it was';

/** `count` runs of `run`, `CONCURRENCY` at a time. */
async function bounded<R>(count: number, run: (index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < count; i += CONCURRENCY) {
    const batch = Array.from({ length: Math.min(CONCURRENCY, count - i) }, (_, j) => run(i + j));
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

describe('8. clients that vanish, through the balancer', () => {
  let system: ChaosSystem | undefined;
  let fleet: ChaosFleet;
  let balancer: ChaosBalancer;
  const vanished: VanishedWebSocket[] = [];

  beforeAll(async () => {
    if (!procAvailable()) return;
    system = await startSystem({
      fleet: {
        env: {
          KF_CHAOS_WS_PING_INTERVAL: String(PING_INTERVAL),
          // POST /chaos/memory collects first: the workers' RSS is then what is still held.
          NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --expose-gc`.trim(),
        },
      },
      balancer: { keepAlive: { idleTimeout: '1s' } },
    });
    ({ fleet, balancer } = system);
  });
  afterAll(async () => {
    for (const client of vanished) client.dispose();
    await system?.stop();
  });

  it('leaves no socket behind and memory back within a bound, after hundreds of aborted downloads and vanished WebSockets', async () => {
    if (!procAvailable()) {
      reportSkipped({ order: 8, title: TITLE, proves: PROVES }, 'no /proc on this machine');
      return;
    }
    const workers = await workerPids(fleet.urls);
    const processes = [
      { name: 'balancer', pid: balancer.process.pid },
      ...workers.map((pid, slot) => ({ name: `worker ${slot}`, pid })),
    ];
    // Warm-up: one of each kind, so what the first one sets up for good (the pool, the
    // WebSocket server, lazily loaded code) is part of the baseline; then the pool idles out.
    await abortingDownload(`${balancer.url}/slow?bytes=${BODY_BYTES}`, { bytes: BODY_BYTES });
    (await vanishingWebSocket(`${balancer.url}/ws`, 'destroy')).dispose();
    await sleep(3 * PING_INTERVAL);
    const measure = async () => {
      const sockets = processes.map(({ pid }) => openSockets(pid));
      const workerMemory = await collectWorkerGarbage(fleet.urls);
      const rss = processes.map(({ pid }) => residentBytes(pid));
      const collected = workerMemory.filter((memory) => memory.collected).length;
      return { sockets, rss, collected, heap: workerMemory.map((memory) => memory.heapUsed) };
    };
    const before = await measure();
    const peak = [...before.sockets];
    const sampling = setInterval(() => {
      try {
        processes.forEach(({ pid }, i) => (peak[i] = Math.max(peak[i]!, openSockets(pid))));
      } catch {
        // A process is gone (the test timed out and afterAll stopped it): nothing left to sample.
        clearInterval(sampling);
      }
    }, 50);

    let downloads;
    let webSockets;
    try {
      downloads = await bounded(DOWNLOADS, () =>
        abortingDownload(`${balancer.url}/slow?bytes=${BODY_BYTES}`, { bytes: BODY_BYTES }),
      );
      const styles: VanishStyle[] = ['destroy', 'reset', 'stop-reading'];
      webSockets = await bounded(WEBSOCKETS_PER_STYLE * styles.length, async (index) => {
        const client = await vanishingWebSocket(`${balancer.url}/ws`, styles[index % 3]!);
        vanished.push(client);
        return client;
      });
    } finally {
      clearInterval(sampling);
    }

    const backToBaseline = () =>
      processes.every(({ pid }, i) => openSockets(pid) <= before.sockets[i]! + SOCKET_SLACK);
    // Bounded: the silent clients are found by the pings; the rest close at once.
    await waitFor('sockets back to baseline', backToBaseline, 30_000).catch(() => {});
    const after = await measure();

    const counts: Record<string, number> = {
      'aborted downloads': downloads.length,
      'left mid-body': downloads.filter((download) => download.midBody).length,
      // no byte of the body (or not even the head) within 10 s, the connection still open
      'stalled downloads': downloads.filter((download) => download.stalled).length,
      'stalled without a head': downloads.filter((d) => d.stalled && !d.gotHead).length,
      'WebSockets vanished': webSockets.length,
      'echoed before vanishing': webSockets.filter((client) => client.echoed).length,
    };
    processes.forEach(({ name }, i) => {
      counts[`${name} sockets before`] = before.sockets[i]!;
      counts[`${name} sockets peak`] = peak[i]!;
      counts[`${name} sockets after`] = after.sockets[i]!;
      counts[`${name} RSS MiB before`] = Math.round(before.rss[i]! / MiB);
      counts[`${name} RSS MiB after`] = Math.round(after.rss[i]! / MiB);
    });
    workers.forEach((_, slot) => {
      counts[`worker ${slot} heap MiB before`] = Math.round(before.heap[slot]! / MiB);
      counts[`worker ${slot} heap MiB after`] = Math.round(after.heap[slot]! / MiB);
    });
    counts['workers over the heap bound'] = workers.filter(
      (_, slot) => after.heap[slot]! > before.heap[slot]! + HEAP_SLACK_MIB * MiB,
    ).length;
    counts['workers collected before measuring'] = Math.min(before.collected, after.collected);
    counts['processes over the socket baseline'] = processes.filter(
      (_, i) => after.sockets[i]! > before.sockets[i]! + SOCKET_SLACK,
    ).length;
    counts['RSS bound MiB'] = RSS_SLACK_MIB;
    counts['processes over the RSS bound'] = processes.filter(
      (_, i) => after.rss[i]! > before.rss[i]! + RSS_SLACK_MIB * MiB,
    ).length;
    counts['workers restarted'] = (await workerPids(fleet.urls)).filter(
      (pid, i) => pid !== workers[i],
    ).length;

    reportScenario({
      order: 8,
      title: TITLE,
      proves: PROVES,
      counts,
      expected: {
        'left mid-body': DOWNLOADS,
        'stalled downloads': 0,
        'echoed before vanishing': webSockets.length,
        // the load really opened sockets: the balancer's count rose while it ran
        'balancer sockets peak': { atLeast: before.sockets[0]! + CONCURRENCY },
        'workers collected before measuring': workers.length,
        'processes over the socket baseline': 0,
        'processes over the RSS bound': 0,
        'workers over the heap bound': 0,
        'workers restarted': 0,
      },
    });
  });
});
