// The public surface of @koa-fleet/contracts: the seams between the koa-fleet packages
// (docs/architecture.md). Types and constants only, so any package can depend on it.
export type { Lifecycle, LifecycleState } from './lifecycle.js';
export type {
  GatherResult,
  IpcErrorCode,
  IpcRequestOptions,
  IpcSender,
  PrimaryIpc,
  PrimaryIpcHandler,
  PrimaryIpcHandlerMap,
  WorkerIpc,
  WorkerIpcHandler,
  WorkerIpcHandlerMap,
} from './ipc.js';
export { IPC_ERROR_CODES, isIpcError } from './ipc.js';
export { FLEET_NAMESPACES } from './namespaces.js';
export type { FleetNamespace } from './namespaces.js';
export type { FleetStats, FleetStatus, WorkerState, WorkerStats } from './stats.js';
export type { FleetEvents, WorkerEvent, WorkerExitEvent } from './fleet-events.js';
export type { FleetPlugin, PluginCleanup, PrimaryContext } from './plugin.js';
export type { FleetLogFn, FleetLogger } from './logger.js';
export type { MetricsRegistry } from './metrics.js';
export { REGISTRY_METHODS } from './metrics.js';
export { DRAIN_HEADER } from './drain.js';
export { CONTROL_PROTOCOL_VERSION, controlSocketPath } from './control-socket.js';
export type {
  ControlAck,
  ControlCommand,
  ControlErrorInfo,
  ControlEvent,
  ControlEventName,
  ControlFailure,
  ControlFleetInfo,
  ControlHello,
  ControlReplies,
  ControlReply,
  ControlRequest,
  ControlSubscriptionLine,
  ControlWorker,
  ControlWorkerEvent,
} from './control-socket.js';
