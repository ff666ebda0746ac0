/** Who sent a request to the primary. */
export interface IpcSender {
  workerId: number;
  pid: number;
}

export interface IpcRequestOptions {
  /** Milliseconds to wait for the reply; default 5000. */
  timeout?: number;
}

/** Answers every request type of a namespace (a catch-all, e.g. to forward them). */
export type WorkerIpcHandler = (type: string, payload: unknown) => unknown | Promise<unknown>;

/**
 * One handler per request type, e.g. `{ get: () => …, set: (payload) => … }`; a request of a
 * type the map does not list is answered with KF_IPC_UNKNOWN_TYPE.
 */
export interface WorkerIpcHandlerMap {
  readonly [type: string]: (payload: unknown) => unknown | Promise<unknown>;
}

/** The worker's end of the typed IPC channel (seam 4 in docs/architecture.md). */
export interface WorkerIpc {
  /**
   * Asks the primary; rejects with KF_IPC_TIMEOUT, KF_IPC_NO_HANDLER, KF_IPC_UNKNOWN_TYPE or
   * KF_IPC_REMOTE.
   */
  request<T = unknown>(
    namespace: string,
    type: string,
    payload?: unknown,
    options?: IpcRequestOptions,
  ): Promise<T>;
  /** Answers the primary's requests and gathers for a namespace; returns the unregister function. */
  handle(namespace: string, handlers: WorkerIpcHandlerMap): () => void;
  handle(namespace: string, handler: WorkerIpcHandler): () => void;
  /** Receives the primary's broadcasts for a namespace; returns the unsubscribe function. */
  on(namespace: string, listener: (type: string, payload: unknown) => void): () => void;
}

export type GatherResult<T> =
  | { workerId: number; pid: number; ok: true; value: T }
  /** `code` is the error's, e.g. KF_IPC_TIMEOUT or KF_IPC_UNKNOWN_TYPE. */
  | { workerId: number; pid: number; ok: false; error: string; code?: string };

/** Answers every request type of a namespace (a catch-all, e.g. to forward them). */
export type PrimaryIpcHandler = (
  type: string,
  payload: unknown,
  from: IpcSender,
) => unknown | Promise<unknown>;

/**
 * One handler per request type, e.g. `{ get: (payload, from) => … }`; a request of a type the
 * map does not list is answered with KF_IPC_UNKNOWN_TYPE.
 */
export interface PrimaryIpcHandlerMap {
  readonly [type: string]: (payload: unknown, from: IpcSender) => unknown | Promise<unknown>;
}

/** The primary's end of the typed IPC channel. */
export interface PrimaryIpc {
  /** Answers the workers' requests for a namespace; returns the unregister function. */
  handle(namespace: string, handlers: PrimaryIpcHandlerMap): () => void;
  handle(namespace: string, handler: PrimaryIpcHandler): () => void;
  /** Sends to every live worker; fire and forget. */
  broadcast(namespace: string, type: string, payload?: unknown): void;
  /** Asks every live worker; a worker that fails or does not answer in time is reported, not fatal. */
  gather<T = unknown>(
    namespace: string,
    type: string,
    payload?: unknown,
    options?: IpcRequestOptions,
  ): Promise<Array<GatherResult<T>>>;
}

/**
 * The codes of the errors an IPC call rejects with, so a package matches on them without
 * importing the cluster (`error.code === IPC_ERROR_CODES.noHandler`).
 */
export const IPC_ERROR_CODES = {
  /** No reply within the timeout. */
  timeout: 'KF_IPC_TIMEOUT',
  /** Nobody on the other side handles the namespace. */
  noHandler: 'KF_IPC_NO_HANDLER',
  /** The namespace's handler map lists no handler for the request's type. */
  unknownType: 'KF_IPC_UNKNOWN_TYPE',
  /** The handler on the other side threw; its own code, if any, is the error's `remoteCode`. */
  remote: 'KF_IPC_REMOTE',
  /** The channel closed (worker exited, primary gone) before the reply came. */
  closed: 'KF_IPC_CLOSED',
} as const;

export type IpcErrorCode = (typeof IPC_ERROR_CODES)[keyof typeof IPC_ERROR_CODES];

/** True when `error` is an IPC error with this code (any copy of any koa-fleet package). */
export function isIpcError(error: unknown, code: IpcErrorCode): boolean {
  return (error as { code?: unknown } | null)?.code === code;
}
