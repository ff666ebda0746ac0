import { describe, expect, it } from 'vitest';
import { LoadToolError } from '../src/errors.js';
import { parseWrkOutput, wrk } from '../src/load/wrk.js';
import { cookieLoad, plainLoad } from './fixtures.js';

const CLEAN = `Running 2s test @ http://127.0.0.1:18765/hello
  1 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.92ms    2.40ms  42.64ms   94.95%
    Req/Sec    20.71k     7.82k   27.73k    80.00%
  Latency Distribution
     50%  392.00us
     75%  549.00us
     90%    1.63ms
     99%   11.47ms
  41097 requests in 2.00s, 5.50MB read
Requests/sec:  20530.96
Transfer/sec:      2.75MB
`;

const WITH_ERRORS = `Running 5s test @ http://127.0.0.1:4000/cpu
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   812.00ms  300.10ms    1.90s    70.00%
    Req/Sec    60.10     20.00    100.00     66.00%
  Latency Distribution
     50%  800.00ms
     75%    1.00s
     90%    1.50s
     99%    1.85s
  302 requests in 5.01s, 50.00KB read
  Socket errors: connect 2, read 3, write 0, timeout 4
  Non-2xx or 3xx responses: 17
Requests/sec:     60.28
Transfer/sec:      9.98KB
`;

describe('wrk output parser', () => {
  it('reads throughput, p50/p90/p99 in ms, request count and no errors from a clean run', () => {
    expect(parseWrkOutput(CLEAN)).toEqual({
      requestsPerSec: 20530.96,
      p50Ms: 0.392,
      p90Ms: 1.63,
      p99Ms: 11.47,
      requests: 41097,
      non2xx: 0,
      socketErrors: 0,
    });
  });

  it('converts seconds to ms and counts non-2xx responses and every kind of socket error', () => {
    expect(parseWrkOutput(WITH_ERRORS)).toEqual({
      requestsPerSec: 60.28,
      p50Ms: 800,
      p90Ms: 1500,
      p99Ms: 1850,
      requests: 302,
      non2xx: 17,
      socketErrors: 9,
    });
  });

  it('converts a p99 in microseconds', () => {
    const fast = CLEAN.replace('99%   11.47ms', '99%  850.00us');
    expect(parseWrkOutput(fast).p99Ms).toBeCloseTo(0.85, 6);
  });

  it('rejects output missing one percentile line, naming the percentile', () => {
    const noP90 = CLEAN.replace(/^ +90%.*\n/m, '');
    expect(() => parseWrkOutput(noP90)).toThrowError(/no 90% latency/);
  });

  it('rejects output without a latency distribution, naming the missing --latency', () => {
    const noLatency = CLEAN.replace(/ {2}Latency Distribution[\s\S]*?99%.*\n/, '');
    expect(() => parseWrkOutput(noLatency)).toThrowError(LoadToolError);
    expect(() => parseWrkOutput(noLatency)).toThrowError(/--latency/);
  });

  it('rejects output that is not wrk output with code KF_BENCH_LOAD_TOOL', () => {
    expect(() =>
      parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused'),
    ).toThrowError(expect.objectContaining({ code: 'KF_BENCH_LOAD_TOOL' }) as Error);
  });

  it('asks wrk for latency percentiles, one thread, the given connections and duration', () => {
    const { file, args } = wrk.command(plainLoad);
    expect(file).toBe('wrk');
    expect(args).toEqual(expect.arrayContaining(['--latency', '-t1', '-c50', '-d7s']));
    expect(args.at(-1)).toBe('http://127.0.0.1:1/x');
    expect(args).not.toContain('-H');
  });

  it("passes each header as -H 'name: value', before the url", () => {
    const { args } = wrk.command(cookieLoad);
    expect(args.slice(-5)).toEqual([
      '-H',
      'Cookie: koa.sess=abc; koa.sess.sig=x-Y_z',
      '-H',
      'X-Bench: 1',
      'http://127.0.0.1:1/incr',
    ]);
  });
});
