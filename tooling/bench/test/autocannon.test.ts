import { describe, expect, it } from 'vitest';
import { LoadToolError } from '../src/errors.js';
import { parseAutocannonJson } from '../src/load/autocannon.js';

// Trimmed from a real `autocannon --json` run against a server answering 1 in 50 with 500.
const REAL = JSON.stringify({
  url: 'http://127.0.0.1:18765/hello',
  connections: 10,
  duration: 1.02,
  errors: 2,
  timeouts: 1,
  non2xx: 499,
  latency: { average: 0.14, p50: 0, p99: 3, max: 37 },
  requests: { average: 24984, total: 24979, sent: 24989 },
});

describe('autocannon JSON parser', () => {
  it('takes throughput from total requests over the real duration, not the per-second average', () => {
    const m = parseAutocannonJson(REAL);
    expect(m.requestsPerSec).toBeCloseTo(24979 / 1.02, 6);
    expect(m).toMatchObject({ p99Ms: 3, requests: 24979, non2xx: 499, socketErrors: 2 });
  });

  it('rejects output that is not JSON or lacks the figures', () => {
    expect(() => parseAutocannonJson('Running 10s test')).toThrowError(LoadToolError);
    expect(() => parseAutocannonJson('{"duration":0}')).toThrowError(/lacks duration/);
  });
});
