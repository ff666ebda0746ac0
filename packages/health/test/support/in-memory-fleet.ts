import { IPC_ERROR_CODES } from '@koa-fleet/contracts';
import type { GatherResult, Lifecycle } from '@koa-fleet/contracts';
import type {
  HealthFleetStats as FleetStats,
  HealthPrimaryContext as PrimaryContext,
  HealthPrimaryIpc as PrimaryIpc,
  HealthWorkerIpc as WorkerIpc,
} from '../../src/index.js';

type WorkerHandler = (type: string, payload: unknown) => unknown;
type IpcFrom = { workerId: number; pid: number };
type PrimaryHandler = (type: string, payload: unknown, from: IpcFrom) => unknown;

interface Member {
  workerId: number;
  pid: number;
  lifecycle: Lifecycle;
  handlers: Map<string, WorkerHandler>;
  answering: boolean;
}

/**
 * `handle(namespace, …)` takes a catch-all function or a map of types (the IPC contract); a map
 * answers a type it does not list with KF_IPC_UNKNOWN_TYPE, as the cluster does.
 */
function dispatcher<Rest extends unknown[]>(
  namespace: string,
  handlers:
    | ((type: string, payload: unknown, ...rest: Rest) => unknown)
    | { readonly [type: string]: (payload: unknown, ...rest: Rest) => unknown },
): (type: string, payload: unknown, ...rest: Rest) => unknown {
  if (typeof handlers === 'function') return handlers;
  return (type, payload, ...rest) => {
    const handler = Object.hasOwn(handlers, type) ? handlers[type] : undefined;
    if (!handler) {
      throw Object.assign(new Error(`no ${namespace} handler for "${type}"`), {
        code: IPC_ERROR_CODES.unknownType,
      });
    }
    return handler(payload, ...rest);
  };
}

/** Values cross a real IPC channel as JSON; do the same here so nothing leans on shared objects. */
const wire = <T>(value: T): T =>
  value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);

/**
 * A supervisor reduced to the structural seams (PrimaryContext, WorkerIpc, Lifecycle) in one
 * process, so the fleet integration is tested without @koa-fleet/cluster. A member can be made
 * silent (never answers gathers) or removed (exited), as a real worker can.
 */
export class InMemoryFleet {
  readonly #primaryHandlers = new Map<string, PrimaryHandler>();
  readonly #members = new Map<number, Member>();
  readonly #desired: number;
  #restarts = 0;
  #primarySilent = false;
  #nextPid = 10_000;

  constructor(desired: number) {
    this.#desired = desired;
  }

  readonly primary: PrimaryContext = {
    ipc: {
      handle: (namespace: string, handlers: Parameters<typeof dispatcher<[IpcFrom]>>[1]) => {
        this.#primaryHandlers.set(namespace, dispatcher(namespace, handlers));
        return () => this.#primaryHandlers.delete(namespace);
      },
      gather: (namespace, type, payload, options) =>
        this.#gather(namespace, type, payload, options?.timeout ?? 1_000),
    } as PrimaryIpc,
    stats: () => this.#stats(),
  };

  /** Adds (or replaces, counting a restart) the worker in a slot; returns its IPC. */
  join(workerId: number, lifecycle: Lifecycle): WorkerIpc {
    if (this.#members.has(workerId)) this.#restarts++;
    const member: Member = {
      workerId,
      pid: this.#nextPid++,
      lifecycle,
      handlers: new Map(),
      answering: true,
    };
    this.#members.set(workerId, member);
    return {
      request: async <T>(
        namespace: string,
        type: string,
        payload?: unknown,
        options?: { timeout?: number },
      ) => {
        const handler = this.#primaryHandlers.get(namespace);
        // Rejections carry the cluster's codes, which the middleware tells apart.
        if (!handler)
          throw Object.assign(new Error(`no handler for ${namespace}`), {
            code: 'KF_IPC_NO_HANDLER',
          });
        if (this.#primarySilent) {
          await new Promise((resolve) => setTimeout(resolve, options?.timeout ?? 1_000));
          throw Object.assign(new Error(`no reply within ${options?.timeout} ms`), {
            code: 'KF_IPC_TIMEOUT',
          });
        }
        return wire(await handler(type, wire(payload), { workerId, pid: member.pid })) as T;
      },
      handle: (namespace: string, handlers: Parameters<typeof dispatcher<[]>>[1]) => {
        member.handlers.set(namespace, dispatcher(namespace, handlers));
        return () => member.handlers.delete(namespace);
      },
    } as WorkerIpc;
  }

  /** The primary stops answering workers' requests (busy, or its event loop blocked). */
  silencePrimary(): void {
    this.#primarySilent = true;
  }

  silence(workerId: number): void {
    this.#members.get(workerId)!.answering = false;
  }

  async #gather<T>(namespace: string, type: string, payload: unknown, timeout: number) {
    return Promise.all(
      [...this.#members.values()].map(async (member): Promise<GatherResult<T>> => {
        const { workerId, pid } = member;
        const handler = member.handlers.get(namespace);
        if (!member.answering || !handler) {
          await new Promise((resolve) => setTimeout(resolve, timeout));
          return { workerId, pid, ok: false, error: 'KF_IPC_TIMEOUT' };
        }
        return { workerId, pid, ok: true, value: wire(await handler(type, wire(payload))) as T };
      }),
    );
  }

  #stats(): FleetStats {
    const workers = [...this.#members.values()].map((member) => ({
      workerId: member.workerId,
      pid: member.pid,
      state: member.lifecycle.state,
      generation: 0,
      restarts: 0,
    }));
    return { workers, desired: this.#desired, restarts: this.#restarts };
  }
}
