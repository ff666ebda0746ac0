import { describe, expect, it } from 'vitest';
import { defineCheck } from '../health-check.js';
import { CheckRunner } from './check-runner.js';

const never = () => new Promise<never>(() => {});

describe('CheckRunner', () => {
  it('reuses a result within its interval and runs again after it', async () => {
    let calls = 0;
    let clock = 1_000;
    const runner = new CheckRunner(
      defineCheck('counted', () => void calls++),
      1_000,
      5_000,
      () => clock,
    );
    await runner.result();
    await runner.result();
    expect(calls).toBe(1);
    clock += 5_000;
    await runner.result();
    expect(calls).toBe(2);
  });

  it('shares one run among concurrent probes', async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const runner = new CheckRunner(
      defineCheck('slow', async () => {
        calls++;
        await gate;
      }),
      10_000,
      0,
    );
    const probes = Promise.all([runner.result(), runner.result(), runner.result()]);
    release();
    const results = await probes;
    expect(calls).toBe(1);
    expect(results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
  });

  it('fails a hung check with its timeout and does not start it again while it hangs', async () => {
    let calls = 0;
    const runner = new CheckRunner(
      defineCheck('hung', () => {
        calls++;
        return never();
      }),
      50,
      0,
    );
    const first = await runner.result();
    expect(first).toMatchObject({
      status: 'fail',
      output: 'check "hung" did not answer within 50 ms',
    });
    await runner.result();
    expect(calls).toBe(1);
  });

  it('turns a thrown error into a failure carrying its message', async () => {
    const runner = new CheckRunner(
      defineCheck('broken', () => {
        throw new Error('disk on fire');
      }),
      1_000,
      0,
    );
    expect(await runner.result()).toMatchObject({
      status: 'fail',
      output: 'disk on fire',
      critical: true,
    });
  });

  it('only warns when a non-critical check fails', async () => {
    const check = defineCheck('optional', () => Promise.reject(new Error('cache cold')), {
      critical: false,
    });
    expect(await new CheckRunner(check, 1_000, 0).result()).toMatchObject({
      status: 'warn',
      output: 'cache cold',
    });
  });

  it('reports what the check observed, in health+json terms', async () => {
    const check = defineCheck(
      'queue',
      () => ({ observedValue: 3, observedUnit: 'jobs', status: 'warn' }),
      {
        componentType: 'component',
      },
    );
    const result = await new CheckRunner(check, 1_000, 0).result();
    expect(result).toMatchObject({
      status: 'warn',
      componentType: 'component',
      observedValue: 3,
      observedUnit: 'jobs',
    });
    expect(Date.parse(result.time)).not.toBeNaN();
  });
});
