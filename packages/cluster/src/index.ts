// The public surface of @koa-fleet/cluster; everything under internal/ may change at any time.
export { startFleet } from './start-fleet.js';
export { Fleet } from './fleet.js';
export type { FleetOptions } from './options.js';
export type { AppSource, KoaLike } from './app-source.js';
export type { WorkerContext } from './worker-context.js';
export type { Lifecycle, LifecycleState } from './lifecycle.js';
export type {
  WorkerIpc,
  WorkerIpcHandler,
  WorkerIpcHandlerMap,
  PrimaryIpc,
  PrimaryIpcHandler,
  PrimaryIpcHandlerMap,
  IpcSender,
  IpcRequestOptions,
  GatherResult,
} from './ipc.js';
export type { FleetPlugin, PrimaryContext } from './plugin.js';
export type { FleetStats, FleetStatus, WorkerStats } from './stats.js';
export type { FleetEvents, WorkerEvent, WorkerExitEvent } from './fleet-events.js';
export { createLogger } from './logger.js';
export type { Logger } from './logger.js';
export { DRAIN_HEADER } from './internal/worker/request-tracker.js';
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
  PortInUseError,
  ReloadAbortedError,
  WorkerExecMissingError,
  WorkerStartError,
  WorkerStartTimeoutError,
} from './errors.js';
// Errors every koa-fleet package shares, re-exported so users match on them from one import.
export { FleetError, InvalidOptionError, isFleetError } from '@koa-fleet/errors';
export type { FleetErrorCode } from '@koa-fleet/errors';
