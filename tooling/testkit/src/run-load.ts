import autocannon from 'autocannon';
import { assertLoopback } from './internal/loopback.js';
import { InvalidOptionError } from './errors.js';

export interface LoadResult {
  requests: number;
  /** Responses by status code, e.g. `{ '200': 98, '500': 2 }`. */
  statusCounts: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
  resets: number;
  /** Milliseconds. */
  latency: { p50: number; p90: number; p99: number; max: number };
  requestsPerSecond: number;
}

export interface RunLoadOptions {
  /** A loopback URL (127.0.0.1, localhost or ::1); load is never sent elsewhere. */
  url: string;
  connections?: number;
  /** Seconds, at most 120. */
  duration?: number;
  /** Total requests; the run still ends after 120 s. */
  amount?: number;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  requests?: autocannon.Request[];
  pipelining?: number;
}

const MAX_SECONDS = 120;
/** Runs a bounded autocannon load against a loopback server and summarises the result. */
export async function runLoad(options: RunLoadOptions): Promise<LoadResult> {
  const { url, connections = 10, duration, amount, pipelining = 1 } = options;
  assertLoopback(url);
  checkPositiveInteger('connections', connections);
  checkPositiveInteger('pipelining', pipelining);
  if (duration === undefined && amount === undefined) {
    throw new InvalidOptionError(
      'duration',
      `seconds up to ${MAX_SECONDS} (or set amount)`,
      duration,
    );
  }
  if (
    duration !== undefined &&
    (typeof duration !== 'number' || !(duration > 0) || duration > MAX_SECONDS)
  ) {
    throw new InvalidOptionError(
      'duration',
      `a number of seconds above 0 and up to ${MAX_SECONDS}`,
      duration,
    );
  }
  if (amount !== undefined) checkPositiveInteger('amount', amount);

  const instance = autocannon({
    url,
    connections,
    pipelining,
    // autocannon ignores duration when amount is set; the hard cap below still bounds it.
    duration: duration ?? MAX_SECONDS,
    ...(amount !== undefined && { amount }),
    ...(options.method !== undefined && { method: options.method as autocannon.Request['method'] }),
    ...(options.body !== undefined && { body: options.body }),
    ...(options.headers !== undefined && { headers: options.headers }),
    ...(options.requests !== undefined && { requests: options.requests }),
    // Without a callback autocannon returns its tracker, which is both thenable and stoppable.
  }) as Promise<autocannon.Result> & { stop(): void };
  const hardCap = setTimeout(() => instance.stop(), MAX_SECONDS * 1000);
  try {
    return summarise(await instance);
  } finally {
    clearTimeout(hardCap);
  }
}

function summarise(result: autocannon.Result): LoadResult {
  const statusCounts: Record<string, number> = {};
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) {
    statusCounts[status] = stats.count ?? 0;
  }
  return {
    requests: Object.values(statusCounts).reduce((sum, count) => sum + count, 0),
    statusCounts,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    resets: result.resets,
    latency: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    requestsPerSecond: result.requests.average,
  };
}

function checkPositiveInteger(option: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidOptionError(option, 'a positive integer', value);
  }
}
