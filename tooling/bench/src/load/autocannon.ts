import { fileURLToPath } from 'node:url';
import { LoadToolError } from '../errors.js';
import type { LoadSpec, LoadTool, Measurement } from './measurement.js';

const BIN = fileURLToPath(new URL('../../node_modules/.bin/autocannon', import.meta.url));

/** Fallback when wrk is not installed: autocannon's CLI in its own process, JSON output. */
export const autocannon: LoadTool = {
  name: 'autocannon',
  command({ url, connections, durationSec, headers = {} }: LoadSpec) {
    return {
      file: BIN,
      args: [
        '--json',
        '-c',
        String(connections),
        '-d',
        String(durationSec),
        '-t',
        '10',
        // No space after the colon: autocannon keeps everything after it as the value.
        ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}:${value}`]),
        url,
      ],
    };
  },
  parse: parseAutocannonJson,
};

interface AutocannonJson {
  duration: number;
  errors: number; // autocannon counts timeouts among its errors
  non2xx: number;
  latency: { p50: number; p90: number; p99: number };
  requests: { total: number };
}

/** Reads the same figures as the wrk parser (p50, p90, p99 included) from `autocannon --json` output. */
export function parseAutocannonJson(stdout: string): Measurement {
  let result: AutocannonJson;
  try {
    result = JSON.parse(stdout) as AutocannonJson;
  } catch (error) {
    throw new LoadToolError(`autocannon printed no JSON:\n${stdout}`, { cause: error });
  }
  if (!(result.duration > 0) || typeof result.requests?.total !== 'number') {
    throw new LoadToolError(`autocannon JSON lacks duration or requests:\n${stdout}`);
  }
  return {
    requestsPerSec: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    socketErrors: result.errors,
  };
}
