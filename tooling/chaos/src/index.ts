// The chaos suite's parts, for its scenarios (test/) and anyone writing one more.
export { reportScenario, reportSkipped } from './results/record-scenario.js';
export type { CountExpectation, ScenarioReport } from './results/scenario-report.js';
export { balancerBin, fleetBin, systemApp } from './system/bins.js';
export { portRange } from './system/port-range.js';
export { startBalancer } from './system/start-balancer.js';
export type { ChaosBalancer, StartBalancerOptions } from './system/start-balancer.js';
export { startFleet } from './system/start-fleet.js';
export type { ChaosFleet, StartFleetOptions } from './system/start-fleet.js';
export { AdminStreamError, HostNetworkError, OpenFilesError } from './errors.js';
export { createHostNetwork } from './hosts/host-network.js';
export type { HostNetwork, HostNetworkOptions, NetnsHost } from './hosts/host-network.js';
export { requireHostNetwork } from './hosts/require-host-network.js';
export { removeStaleHostNetworks } from './hosts/stale-host-networks.js';
export { ensureOpenFiles, openFilesLimit } from './load/open-files.js';
export { startPhasedLoad } from './load/phased-load.js';
export type { PhaseCounts, PhasedLoad, PhasedLoadOptions } from './load/phased-load.js';
export { watchBackendStates } from './system/watch-backend-states.js';
export type { BackendStateName, BackendStateWatch } from './system/watch-backend-states.js';
