import { Agent } from 'node:http';
import { httpRequest } from '@koa-fleet/testkit';

/** What the requests that started in one phase came to. */
export interface PhaseCounts {
  requests: number;
  /** 2xx answers. */
  ok: number;
  /** Everything else: non-2xx answers, socket errors, resets and timeouts. */
  failed: number;
  /** The failures by kind: a status (`'503'`), an error code (`'ECONNRESET'`), or `'timeout'`. */
  failures: Record<string, number>;
  /** 2xx answers by the `host` field of their JSON body (the system app's KF_CHAOS_HOST). */
  byHost: Record<string, number>;
}

export interface PhasedLoad {
  /** From now on, requests that start are counted under `name`. */
  phase(name: string): void;
  /** The counts of one phase so far. */
  counts(name: string): PhaseCounts;
  /** Starts no more requests, waits for those in flight, and returns every phase's counts. */
  stop(): Promise<Record<string, PhaseCounts>>;
}

export interface PhasedLoadOptions {
  /** A loopback URL (the balancer); GET. */
  url: string;
  /** Keep-alive connections, each sending one request after the other; default 8. */
  connections?: number;
  /** A request without an answer by then is a failure (`timeout`); ms, default 15 000. */
  timeout?: number;
  /** The load stops on its own after this long, whatever happens; ms, default 120 000. */
  limit?: number;
  /** The first phase's name; default `'before'`. */
  phase?: string;
}

const emptyCounts = (): PhaseCounts => ({
  requests: 0,
  ok: 0,
  failed: 0,
  failures: {},
  byHost: {},
});

/**
 * A bounded keep-alive GET load whose requests are counted by the phase they started in
 * (`before`, `during`, `after` a fault), so a scenario can say which of them failed. The
 * scenario switches phases — on what the system reports (a backend down), or to cut a ramp
 * into windows — and asserts the counts in them, never a duration.
 */
export function startPhasedLoad(options: PhasedLoadOptions): PhasedLoad {
  const { url, connections = 8, timeout = 15_000, limit = 120_000 } = options;
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const phases = new Map<string, PhaseCounts>();
  const countsOf = (name: string): PhaseCounts => {
    let counts = phases.get(name);
    if (!counts) phases.set(name, (counts = emptyCounts()));
    return counts;
  };
  let current = options.phase ?? 'before';
  countsOf(current);
  let stopped = false;
  const cap = setTimeout(() => (stopped = true), limit);

  const fail = (counts: PhaseCounts, kind: string): void => {
    counts.failed += 1;
    counts.failures[kind] = (counts.failures[kind] ?? 0) + 1;
  };
  const loop = async (): Promise<void> => {
    while (!stopped) {
      const counts = countsOf(current);
      counts.requests += 1;
      try {
        const reply = await httpRequest(url, { agent, timeout });
        if (reply.status >= 200 && reply.status < 300) {
          counts.ok += 1;
          const host = String(reply.json().host ?? 'unknown');
          counts.byHost[host] = (counts.byHost[host] ?? 0) + 1;
        } else {
          fail(counts, String(reply.status));
        }
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        fail(counts, code ?? (/no answer in/.test(String(error)) ? 'timeout' : 'error'));
      }
    }
  };
  const loops = Array.from({ length: connections }, () => loop());
  return {
    phase: (name) => {
      current = name;
      countsOf(name);
    },
    counts: countsOf,
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      clearTimeout(cap);
      agent.destroy();
      return Object.fromEntries(phases);
    },
  };
}
