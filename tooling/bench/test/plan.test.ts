import { describe, expect, it } from 'vitest';
import { planSteps } from '../src/plan.js';
import { scenario } from './fixtures.js';

describe('planSteps', () => {
  it('interleaves repeats and rotates which contender goes first', () => {
    const order = planSteps(scenario, 3).map(
      (s) => `${s.repeat}:${s.load.name}:${s.contender.name}`,
    );
    // prettier-ignore
    expect(order).toEqual([
      '0:hello:a', '0:hello:b', '0:hello:c', '0:cpu:a', '0:cpu:b', '0:cpu:c',
      '1:hello:b', '1:hello:c', '1:hello:a', '1:cpu:b', '1:cpu:c', '1:cpu:a',
      '2:hello:c', '2:hello:a', '2:hello:b', '2:cpu:c', '2:cpu:a', '2:cpu:b',
    ]);
  });

  it('measures every contender on every load once per repeat', () => {
    const steps = planSteps(scenario, 4);
    expect(steps).toHaveLength(4 * 2 * 3);
    const unique = new Set(steps.map((s) => `${s.repeat}:${s.load.name}:${s.contender.name}`));
    expect(unique.size).toBe(steps.length);
  });
});
