import { LoadToolError } from '../errors.js';
import type { LoadSpec, LoadTool, Measurement } from './measurement.js';

// wrk prints latencies with the unit it found most readable.
const MS_PER_UNIT: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** wrk (Debian package): low overhead, C, one thread is plenty on a 2-core machine. */
export const wrk: LoadTool = {
  name: 'wrk',
  command({ url, connections, durationSec, headers = {} }: LoadSpec) {
    return {
      file: 'wrk',
      args: [
        '--latency',
        '-t1',
        `-c${connections}`,
        `-d${durationSec}s`,
        '--timeout',
        '10s',
        ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
        url,
      ],
    };
  },
  parse: parseWrkOutput,
};

/**
 * Reads throughput, latency percentiles (p50, p90, p99), request count and every kind of error
 * from `wrk --latency` output.
 */
export function parseWrkOutput(stdout: string): Measurement {
  const requestsPerSec = Number(match(stdout, /^Requests\/sec:\s+([\d.]+)/m, 'Requests/sec'));
  const requests = Number(match(stdout, /^\s*(\d+) requests in /m, 'requests in'));
  const p50Ms = percentileMs(stdout, 50);
  const p90Ms = percentileMs(stdout, 90);
  const p99Ms = percentileMs(stdout, 99);
  const non2xx = Number(/^\s*Non-2xx or 3xx responses:\s+(\d+)/m.exec(stdout)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    stdout,
  );
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return { requestsPerSec, p50Ms, p90Ms, p99Ms, requests, non2xx, socketErrors };
}

// One line of wrk's "Latency Distribution", e.g. `     90%    1.63ms`.
function percentileMs(stdout: string, percent: number): number {
  const line = new RegExp(`^\\s+${percent}%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, 'm').exec(stdout);
  if (!line) {
    throw new LoadToolError(
      `wrk printed no ${percent}% latency (was --latency given?):\n${stdout}`,
    );
  }
  return Number(line[1]) * MS_PER_UNIT[line[2]!]!;
}

function match(text: string, pattern: RegExp, what: string): string {
  const found = pattern.exec(text)?.[1];
  if (found === undefined) throw new LoadToolError(`wrk output has no "${what}" line:\n${text}`);
  return found;
}
