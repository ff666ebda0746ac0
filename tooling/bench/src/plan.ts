import type { Contender, Load, Scenario } from './scenario.js';

export interface Step {
  /** 0-based repeat number. */
  repeat: number;
  load: Load;
  contender: Contender;
}

/**
 * The order measurements are taken in: repeats are interleaved (every contender once per
 * repeat, not all repeats of one contender in a row) and the contender order rotates each
 * repeat, so slow drift of a shared machine and "who went first" spread over all contenders.
 */
export function planSteps(scenario: Scenario, repeats: number): Step[] {
  const steps: Step[] = [];
  const { contenders } = scenario;
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const load of scenario.loads) {
      for (let offset = 0; offset < contenders.length; offset++) {
        const contender = contenders[(repeat + offset) % contenders.length]!;
        steps.push({ repeat, load, contender });
      }
    }
  }
  return steps;
}
