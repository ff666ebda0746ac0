// What a scenario author needs; the CLI (src/cli.ts) is the entry point for running.
export { BACKENDS_ENV, backendUrls } from './contenders/backend-urls.js';
export { directToBackend } from './contenders/direct.js';
export { haproxyConfig, haproxyProxy } from './contenders/haproxy.js';
export { koaFleet } from './contenders/koa-fleet.js';
export type { KoaFleetOptions } from './contenders/koa-fleet.js';
export { nodeServer } from './contenders/node-server.js';
export type { NodeServerOptions } from './contenders/node-server.js';
export { nginxProxy, nginxProxyConfig } from './contenders/nginx-proxy.js';
export { binaryVersion, packageVersion } from './contenders/peer-version.js';
export { pm2Cluster, pm2Version } from './contenders/pm2.js';
export type { Pm2Options } from './contenders/pm2.js';
export { serverEntry } from './contenders/server-entry.js';
export {
  LoadToolError,
  NotLoopbackError,
  ReloadUnsupportedError,
  ServerStartError,
  ServerStopError,
  UnknownScenarioError,
} from './errors.js';
export { helloBackends } from './setup/hello-backends.js';
export type { LoadSpec, LoadTool, Measurement } from './load/measurement.js';
export { fieldsOnOneSession } from './measure/fields-on-one-session.js';
export type { FieldsOnOneSessionOptions } from './measure/fields-on-one-session.js';
export { incrementsOnOneSession } from './measure/increments-on-one-session.js';
export type { IncrementsOnOneSessionOptions } from './measure/increments-on-one-session.js';
export { reloadUnderLoad } from './measure/reload-under-load.js';
export type { ReloadUnderLoadOptions } from './measure/reload-under-load.js';
export type { ResultsFile, ScenarioResult } from './report/results.js';
export { runScenario } from './run-scenario.js';
export type { RunOptions } from './run-scenario.js';
export type {
  Comparison,
  ComparisonMetric,
  Contender,
  ContenderLabel,
  CountMeasurement,
  Load,
  Measure,
  MeasureContext,
  RunningServer,
  Scenario,
  ScenarioFixture,
  StartContext,
} from './scenario.js';
export { scenarios } from './scenarios/index.js';
