// What a scenario author needs; the CLI (src/cli.ts) is the entry point for running.
export { nodeServer } from './contenders/node-server.js';
export type { NodeServerOptions } from './contenders/node-server.js';
export { pm2Cluster } from './contenders/pm2.js';
export type { Pm2Options } from './contenders/pm2.js';
export { serverEntry } from './contenders/server-entry.js';
export {
  LoadToolError,
  NotLoopbackError,
  ServerStartError,
  ServerStopError,
  UnknownScenarioError,
} from './errors.js';
export type { LoadSpec, LoadTool, Measurement } from './load/measurement.js';
export type { ResultsFile, ScenarioResult } from './report/results.js';
export { runScenario } from './run-scenario.js';
export type { RunOptions } from './run-scenario.js';
export type { Contender, Load, RunningServer, Scenario, StartContext } from './scenario.js';
export { scenarios } from './scenarios/index.js';
