// The chaos suite's parts, for its scenarios (test/) and anyone writing one more.
export { reportScenario, reportSkipped } from './results/record-scenario.js';
export type { CountExpectation, ScenarioReport } from './results/scenario-report.js';
export { balancerBin, fleetBin, systemApp } from './system/bins.js';
export { portRange } from './system/port-range.js';
export { startBalancer } from './system/start-balancer.js';
export type { ChaosBalancer, StartBalancerOptions } from './system/start-balancer.js';
export { startFleet } from './system/start-fleet.js';
export type { ChaosFleet, StartFleetOptions } from './system/start-fleet.js';
