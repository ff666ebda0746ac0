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

/** Reads throughput, p99, request count and every kind of error from `wrk --latency` output. */
export function parseWrkOutput(stdout: string): Measurement {
  const requestsPerSec = Number(match(stdout, /^Requests\/sec:\s+([\d.]+)/m, 'Requests/sec'));
  const requests = Number(match(stdout, /^\s*(\d+) requests in /m, 'requests in'));
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s|m|h)\s*$/m.exec(stdout);
  if (!p99)
    throw new LoadToolError(`wrk printed no 99% latency (was --latency given?):\n${stdout}`);
  const p99Ms = Number(p99[1]) * MS_PER_UNIT[p99[2]!]!;
  const non2xx = Number(/^\s*Non-2xx or 3xx responses:\s+(\d+)/m.exec(stdout)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    stdout,
  );
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return { requestsPerSec, p99Ms, requests, non2xx, socketErrors };
}

function match(text: string, pattern: RegExp, what: string): string {
  const found = pattern.exec(text)?.[1];
  if (found === undefined) throw new LoadToolError(`wrk output has no "${what}" line:\n${text}`);
  return found;
}
