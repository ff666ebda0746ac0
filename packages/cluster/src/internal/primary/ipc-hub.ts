import type {
  GatherResult,
  IpcRequestOptions,
  IpcSender,
  PrimaryIpc,
  PrimaryIpcHandler,
  PrimaryIpcHandlerMap,
} from '@koa-fleet/contracts';
import { dispatcher } from '../wire/handler-map.js';
import { NamespaceRegistry } from '../wire/handler-registry.js';
import type { Answer } from '../wire/rpc-endpoint.js';

/** What the hub needs of a live worker. */
export interface IpcPeer {
  readonly workerId: number;
  readonly pid: number;
  request(namespace: string, type: string, payload: unknown, timeout?: number): Promise<unknown>;
  cast(namespace: string, type: string, payload: unknown): boolean;
}

/** The primary's PrimaryIpc: one handler registry for all workers, fan-out to the live ones. */
export class PrimaryIpcHub implements PrimaryIpc {
  readonly #handlers = new NamespaceRegistry<PrimaryIpcHandler>();
  readonly #peers: () => IpcPeer[];

  constructor(peers: () => IpcPeer[]) {
    this.#peers = peers;
  }

  handle(namespace: string, handler: PrimaryIpcHandler | PrimaryIpcHandlerMap): () => void {
    return this.#handlers.add(namespace, dispatcher(namespace, handler));
  }

  /** The handler a worker's endpoint calls for a request from that worker. */
  handlerFor(namespace: string, from: IpcSender): Answer | undefined {
    const handler = this.#handlers.latest(namespace);
    return handler && ((type, payload) => handler(type, payload, from));
  }

  broadcast(namespace: string, type: string, payload?: unknown): void {
    for (const peer of this.#peers()) peer.cast(namespace, type, payload);
  }

  async gather<T = unknown>(
    namespace: string,
    type: string,
    payload?: unknown,
    options?: IpcRequestOptions,
  ): Promise<Array<GatherResult<T>>> {
    return Promise.all(
      this.#peers().map(async (peer): Promise<GatherResult<T>> => {
        const who = { workerId: peer.workerId, pid: peer.pid };
        try {
          const value = (await peer.request(namespace, type, payload, options?.timeout)) as T;
          return { ...who, ok: true, value };
        } catch (error) {
          const code = (error as { code?: unknown } | null)?.code;
          return {
            ...who,
            ok: false,
            error: error instanceof Error ? error.message : String(error),
            ...(typeof code === 'string' && { code }),
          };
        }
      }),
    );
  }
}
