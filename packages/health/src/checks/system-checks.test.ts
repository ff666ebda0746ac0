import { describe, expect, it } from 'vitest';
import { eventLoopDelayCheck } from './event-loop.js';
import { memoryCheck } from './memory.js';

describe('system checks', () => {
  it('memory observes RSS in bytes and fails past maxRss', async () => {
    const rss = process.memoryUsage.rss();
    expect(await memoryCheck({ maxRss: rss * 4 }).check()).toMatchObject({ observedUnit: 'bytes' });
    await expect(memoryCheck({ maxRss: 1024 }).check()).rejects.toMatchObject({
      code: 'KF_HEALTH_CHECK_FAILED',
      message: expect.stringMatching(/≥ maxRss 1024/),
    });
    expect(await memoryCheck({ warnRss: '1kb' }).check()).toMatchObject({ status: 'warn' });
    await expect(memoryCheck({ maxHeapUsed: 1024 }).check()).rejects.toThrowError(/heap used/);
  });

  it('event-loop delay observes the p99 in ms, warns and fails past its levels, and is non-critical', async () => {
    expect(await eventLoopDelayCheck({ warnMs: 60_000, failMs: 120_000 }).check()).toMatchObject({
      observedUnit: 'ms',
      observedValue: expect.any(Number),
    });
    expect(await eventLoopDelayCheck({ warnMs: 0, failMs: 120_000 }).check()).toMatchObject({
      status: 'warn',
    });
    await expect(eventLoopDelayCheck({ warnMs: 0, failMs: 0 }).check()).rejects.toThrowError(
      /p99 delay/,
    );
    expect(eventLoopDelayCheck().critical).toBe(false);
  });
});
