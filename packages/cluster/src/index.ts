// The public surface of @koa-fleet/cluster; everything under internal/ may change at any time.
export { startFleet } from './start-fleet.js';
export { Fleet } from './fleet.js';
export type { FleetOptions, HttpsFiles } from './options.js';
export type { AppSource, KoaLike } from './app-source.js';
export type { WorkerContext } from './worker-context.js';
// The seams, from their one home; re-exported so a cluster user needs one import.
export type {
  FleetEvents,
  FleetPlugin,
  FleetStats,
  FleetStatus,
  GatherResult,
  IpcRequestOptions,
  IpcSender,
  Lifecycle,
  LifecycleState,
  PrimaryContext,
  PrimaryIpc,
  PrimaryIpcHandler,
  PrimaryIpcHandlerMap,
  WorkerEvent,
  WorkerExitEvent,
  WorkerIpc,
  WorkerIpcHandler,
  WorkerIpcHandlerMap,
  WorkerState,
  WorkerStats,
} from '@koa-fleet/contracts';
export { DRAIN_HEADER } from '@koa-fleet/contracts';
export { createLogger } from './logger.js';
export type { Logger } from './logger.js';
export {
  ControlSocketClosedError,
  CrashLoopError,
  MemoryLoopError,
  EntryExportError,
  EntryLoadError,
  FleetStoppedError,
  FleetUsageError,
  IpcClosedError,
  IpcNoHandlerError,
  IpcRemoteError,
  IpcTimeoutError,
  IpcUnknownTypeError,
  PidFileError,
  PluginSetupError,
  PortInUseError,
  ReloadAbortedError,
  WorkerExecMissingError,
  WorkerStartError,
  WorkerStartTimeoutError,
} from './errors.js';
// Errors every koa-fleet package shares, re-exported so users match on them from one import.
export { FleetError, InvalidOptionError, isFleetError } from '@koa-fleet/errors';
export type { FleetErrorCode } from '@koa-fleet/errors';
