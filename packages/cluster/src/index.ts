// The public surface of @koa-fleet/cluster; everything under internal/ may change at any time.
export { startFleet } from './start-fleet.js';
export { Fleet } from './fleet.js';
export type { FleetOptions, HttpsFiles } from './options.js';
export type { AppSource, KoaLike } from './app-source.js';
export type { WorkerContext } from './worker-context.js';
export { connectFleetControl } from './fleet-control.js';
export type {
  ControlEventHandler,
  FleetControl,
  FleetControlTarget,
  FleetSubscription,
} from './fleet-control.js';
// The seams, from their one home; re-exported so a cluster user needs one import.
export type {
  ControlAck,
  ControlErrorInfo,
  ControlEvent,
  ControlEventName,
  ControlFailure,
  ControlFleetInfo,
  ControlHello,
  ControlReplies,
  ControlReply,
  ControlRequest,
  ControlWorker,
  ControlWorkerEvent,
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
export { CONTROL_PROTOCOL_VERSION, DRAIN_HEADER, controlSocketPath } from '@koa-fleet/contracts';
export { createLogger } from './logger.js';
export type { Logger } from './logger.js';
export {
  ControlCommandError,
  ControlCommandFailedError,
  ControlConnectError,
  ControlListenError,
  ControlProtocolError,
  ControlRemoteError,
  ControlRequestError,
  ControlSocketClosedError,
  ControlVersionError,
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
  WorkerSlotError,
  WorkerStartError,
  WorkerStartTimeoutError,
} from './errors.js';
// Errors every koa-fleet package shares, re-exported so users match on them from one import.
export { FleetError, InvalidOptionError, isFleetError } from '@koa-fleet/errors';
export type { FleetErrorCode } from '@koa-fleet/errors';
