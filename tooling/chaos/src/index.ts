// The chaos suite's parts, for its scenarios (test/) and anyone writing one more.
export { reportScenario, reportSkipped } from './results/record-scenario.js';
export type { CountExpectation, ScenarioReport } from './results/scenario-report.js';
export { balancerBin, fleetBin, systemApp } from './system/bins.js';
export { portRange } from './system/port-range.js';
export { startBalancer } from './system/start-balancer.js';
export type { ChaosBalancer, StartBalancerOptions } from './system/start-balancer.js';
export { startFleet } from './system/start-fleet.js';
export { startSystem } from './system/start-system.js';
export type { ChaosSystem, StartSystemOptions } from './system/start-system.js';
export type { ChaosFleet, StartFleetOptions } from './system/start-fleet.js';
export { readinessOf, watchReadiness } from './faults/readiness-watch.js';
export type { ReadinessWatch } from './faults/readiness-watch.js';
export { SessionClient } from './load/session-client.js';
export { emptyLedger, emptyOutcomes, sumOutcomes } from './load/session-ledger.js';
export type { SessionLedger, SessionOutcomes } from './load/session-ledger.js';
export {
  COUNTER_FIELD,
  createSessionUsers,
  recordRefusal,
  startSessionTraffic,
  writeOnce,
} from './load/session-traffic.js';
export type { SessionTraffic, SessionUser, SessionUsersOptions } from './load/session-traffic.js';
export { verifySessions } from './load/verify-sessions.js';
export type { SessionCheck } from './load/verify-sessions.js';
export { workerPids } from './system/worker-pids.js';
export { AdminStreamError, HostNetworkError, OpenFilesError } from './errors.js';
export { createHostNetwork } from './hosts/host-network.js';
export type { HostNetwork, HostNetworkOptions, NetnsHost } from './hosts/host-network.js';
export { requireHostNetwork } from './hosts/require-host-network.js';
export { startHostFleets } from './hosts/start-host-fleets.js';
export { removeStaleHostNetworks } from './hosts/stale-host-networks.js';
export { ensureOpenFiles, openFilesLimit } from './load/open-files.js';
export { startPhasedLoad } from './load/phased-load.js';
export type { PhaseCounts, PhasedLoad, PhasedLoadOptions } from './load/phased-load.js';
export { watchBackendStates } from './system/watch-backend-states.js';
export type { BackendStateName, BackendStateWatch } from './system/watch-backend-states.js';
export { killRandomWorker } from './faults/kill-random-worker.js';
export type { KilledWorker } from './faults/kill-random-worker.js';
export { rollingReload } from './faults/rolling-reload.js';
export { chaosSeed, fuzzSeed, SeededRandom, seededRandom } from './faults/seeded-random.js';
export { helloAndEcho, startMixedLoad } from './load/mixed-load.js';
export type {
  LoadAnswer,
  LoadCounts,
  LoadStep,
  MixedLoad,
  MixedLoadOptions,
  StepCounts,
} from './load/mixed-load.js';
export { readRss, startRssSampler } from './measure/rss-sampler.js';
export type {
  RssSample,
  RssSampler,
  RssSamplerOptions,
  SampledProcess,
} from './measure/rss-sampler.js';
export { MIN_TREND_SAMPLES, rssTrends } from './measure/rss-trend.js';
export type { RssTrend } from './measure/rss-trend.js';
export { fleetStats, readyWorkers } from './system/fleet-workers.js';
export { abortingDownload } from './clients/aborting-download.js';
export type { AbortedDownload } from './clients/aborting-download.js';
export { vanishingWebSocket } from './clients/vanishing-websocket.js';
export type { VanishedWebSocket, VanishStyle } from './clients/vanishing-websocket.js';
export { badRequestCases, SMUGGLED_PATH } from './faults/bad-requests.js';
export type { BadInputKind, BadRequestCase } from './faults/bad-requests.js';
export { fuzzRequest } from './faults/fuzz-requests.js';
export type { FuzzRequest } from './faults/fuzz-requests.js';
export { rawOutcome, responseBody, responseCount } from './faults/raw-outcome.js';
export type { RawOutcome } from './faults/raw-outcome.js';
export { sessionCookieSample, SYSTEM_APP_KEY } from './faults/session-cookie-sample.js';
export type { SessionCookieSample } from './faults/session-cookie-sample.js';
export { openSockets, procAvailable, residentBytes } from './system/process-resources.js';
export { collectWorkerGarbage } from './system/worker-memory.js';
export type { WorkerMemory } from './system/worker-memory.js';
export { workerRequests } from './system/worker-requests.js';
export type { WorkerRequests } from './system/worker-requests.js';
