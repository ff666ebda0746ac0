import { afterAll, describe, expect, it } from 'vitest';
import { runLoad, stopAll } from '../src/index.js';
import { startCountingServer } from './fixtures.js';

describe('runLoad', () => {
  afterAll(stopAll);

  it('counts responses by status', async () => {
    const { port } = await startCountingServer({ FAIL_EVERY_THIRD: '1' });
    const result = await runLoad({ url: `http://127.0.0.1:${port}/`, connections: 3, amount: 300 });
    expect(result.requests).toBe(300);
    expect(result.statusCounts).toEqual({ '200': 200, '500': 100 });
    expect(result.non2xx).toBe(100);
    expect(result.errors).toBe(0);
    expect(result.latency.max).toBeGreaterThanOrEqual(result.latency.p50);
  });

  it('refuses targets other than loopback', async () => {
    await expect(runLoad({ url: 'http://example.com/', amount: 1 })).rejects.toMatchObject({
      code: 'KF_INVALID_OPTION',
      message: expect.stringContaining('"url"'),
    });
  });

  it('requires a bound: duration or amount, at most 120 s', async () => {
    await expect(runLoad({ url: 'http://127.0.0.1:1/' })).rejects.toThrow(/"duration"/);
    await expect(runLoad({ url: 'http://127.0.0.1:1/', duration: 121 })).rejects.toThrow(
      /"duration"/,
    );
  });
});
