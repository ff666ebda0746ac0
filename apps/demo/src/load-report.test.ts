import { describe, expect, it } from 'vitest';
import { loadReport } from './load-report.js';
import { LoadTally } from './load-tally.js';

describe('LoadTally and loadReport', () => {
  it('counts answers per pid, keeps what no worker answered apart, and sets shares against weights', () => {
    const tally = new LoadTally();
    for (let i = 0; i < 6; i++) tally.record(200, '{"pid":11,"slot":0,"port":3001}');
    for (let i = 0; i < 3; i++) tally.record(200, '{"pid":12,"slot":1,"port":3002}');
    tally.record(503, '{"error":"no backend"}');
    tally.record(200, 'not json');
    expect(tally.workers()).toEqual([
      { pid: 11, slot: 0, port: 3001, requests: 6 },
      { pid: 12, slot: 1, port: 3002, requests: 3 },
    ]);
    expect(tally.other).toBe(2);
    const report = loadReport({
      workers: tally.workers(),
      other: tally.other,
      weights: new Map([
        [3001, 2],
        [3002, 1],
      ]),
      errors: 0,
      durationSeconds: 1,
      latency: { p50: 1, p90: 2, p99: 3, max: 4 },
    });
    expect(report.split('\n')).toEqual([
      '9 requests answered by 2 workers in 1 s (other answers: 2, errors: 0)',
      '',
      'pid  slot  port  requests   share  weight  weight share',
      '11      0  3001         6  66.7 %       2        66.7 %',
      '12      1  3002         3  33.3 %       1        33.3 %',
      '',
      'latency: p50 1 ms · p90 2 ms · p99 3 ms · max 4 ms',
    ]);
  });

  it('shows "?" for a worker whose port the balancer does not list', () => {
    const report = loadReport({
      workers: [{ pid: 1, slot: 0, port: 4000, requests: 1 }],
      other: 0,
      weights: new Map(),
      errors: 0,
      durationSeconds: 1,
      latency: { p50: 0, p90: 0, p99: 0, max: 0 },
    });
    expect(report).toMatch(/^1 +0 +4000 +1 +100\.0 % +\? +\?$/m);
  });
});
