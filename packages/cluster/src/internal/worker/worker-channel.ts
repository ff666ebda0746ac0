import type { Logger } from 'pino';
import type {
  IpcRequestOptions,
  WorkerIpc,
  WorkerIpcHandler,
  WorkerIpcHandlerMap,
} from '@koa-fleet/contracts';
import { dispatcher } from '../wire/handler-map.js';
import { NamespaceRegistry } from '../wire/handler-registry.js';
import { CONTROL_NAMESPACE } from '../wire/protocol.js';
import type { Answer } from '../wire/rpc-endpoint.js';
import { RpcEndpoint } from '../wire/rpc-endpoint.js';

type Listener = (type: string, payload: unknown) => void;

/** The worker's side of the IPC channel: `process` in a forked worker, a fake in a test. */
export interface ParentPort {
  readonly connected: boolean;
  send?(message: unknown, callback?: (error: Error | null) => void): boolean;
  on(event: 'message' | 'disconnect', listener: (message: unknown) => void): unknown;
}

/** The worker's channel to the primary: the public WorkerIpc plus the cluster's control casts. */
export class WorkerChannel implements WorkerIpc {
  readonly #handlers = new NamespaceRegistry<Answer>();
  readonly #listeners = new NamespaceRegistry<Listener>();
  readonly #endpoint: RpcEndpoint;
  readonly #parent: ParentPort;

  constructor(logger: Logger, defaultTimeout: number, parent: ParentPort = process) {
    this.#parent = parent;
    this.#endpoint = new RpcEndpoint({
      send: (message) => {
        if (!parent.send || !parent.connected) throw new Error('IPC channel closed');
        parent.send(message);
      },
      handlerFor: (namespace) => this.#handlers.latest(namespace),
      onCast: (namespace, type, payload) => {
        for (const listener of this.#listeners.all(namespace)) {
          try {
            listener(type, payload);
          } catch (error) {
            logger.error({ err: error, namespace, type }, 'IPC listener threw');
          }
        }
      },
      onMalformed: (reason) => logger.warn({ reason }, 'ignored a malformed koa-fleet IPC message'),
      defaultTimeout,
    });
    parent.on('message', (raw) => this.#endpoint.receive(raw));
    parent.on('disconnect', () => this.#endpoint.close());
  }

  request<T = unknown>(
    namespace: string,
    type: string,
    payload?: unknown,
    options?: IpcRequestOptions,
  ): Promise<T> {
    return this.#endpoint.request(namespace, type, payload, options?.timeout) as Promise<T>;
  }

  handle(namespace: string, handler: WorkerIpcHandler | WorkerIpcHandlerMap): () => void {
    return this.#handlers.add(namespace, dispatcher(namespace, handler));
  }

  on(namespace: string, listener: Listener): () => void {
    return this.#listeners.add(namespace, listener);
  }

  /** Tells the primary about this worker (ready, heartbeat, fatal). */
  control(type: string, payload?: unknown): void {
    this.#endpoint.cast(CONTROL_NAMESPACE, type, payload);
  }

  /** Sends a control message and resolves once it is on the wire (before exiting). */
  controlFlushed(type: string, payload?: unknown): Promise<void> {
    const parent = this.#parent;
    return new Promise((resolve) => {
      if (!parent.send || !parent.connected) return resolve();
      parent.send({ kf: 1, kind: 'cast', id: 0, namespace: CONTROL_NAMESPACE, type, payload }, () =>
        resolve(),
      );
    });
  }
}
