import { describe, expect, it } from 'vitest';
import { LoadToolError } from '../src/errors.js';
import { autocannon, parseAutocannonJson } from '../src/load/autocannon.js';
import { cookieLoad, plainLoad } from './fixtures.js';

// Trimmed from a real `autocannon --json` run against a server answering 1 in 50 with 500.
const REAL = JSON.stringify({
  url: 'http://127.0.0.1:18765/hello',
  connections: 10,
  duration: 1.02,
  errors: 2,
  timeouts: 1,
  non2xx: 499,
  latency: { average: 0.14, p50: 0, p90: 1, p99: 3, max: 37 },
  requests: { average: 24984, total: 24979, sent: 24989 },
});

describe('autocannon JSON parser', () => {
  it('takes throughput from total requests over the real duration, not the per-second average', () => {
    const m = parseAutocannonJson(REAL);
    expect(m.requestsPerSec).toBeCloseTo(24979 / 1.02, 6);
    expect(m).toMatchObject({
      p50Ms: 0,
      p90Ms: 1,
      p99Ms: 3,
      requests: 24979,
      non2xx: 499,
      socketErrors: 2,
    });
  });

  it('rejects output that is not JSON or lacks the figures', () => {
    expect(() => parseAutocannonJson('Running 10s test')).toThrowError(LoadToolError);
    expect(() => parseAutocannonJson('{"duration":0}')).toThrowError(/lacks duration/);
  });
});

describe('autocannon command', () => {
  it('asks for JSON, the given connections and duration, the url last and no header', () => {
    const { args } = autocannon.command(plainLoad);
    expect(args).toEqual(expect.arrayContaining(['--json', '-c', '50', '-d', '7']));
    expect(args.at(-1)).toBe('http://127.0.0.1:1/x');
    expect(args).not.toContain('-H');
  });

  it('passes each header as -H name:value, the value as given (no leading space)', () => {
    const { args } = autocannon.command(cookieLoad);
    expect(args.slice(-5)).toEqual([
      '-H',
      'Cookie:koa.sess=abc; koa.sess.sig=x-Y_z',
      '-H',
      'X-Bench:1',
      'http://127.0.0.1:1/incr',
    ]);
  });
});
