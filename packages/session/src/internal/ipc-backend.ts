import type { SessionWorkerIpc } from '../ipc-types.js';
import type {
  AtomicCommand,
  AtomicOutcome,
  SessionBackend,
  StoredFields,
  WriteCommand,
  WriteOutcome,
} from './backend.js';
import type { SessionRequest } from './ipc-protocol.js';

/** A worker's view of the primary's MemoryBackend: every call is one IPC round trip. */
export class IpcBackend implements SessionBackend {
  readonly kind = 'embedded';
  readonly #ipc: SessionWorkerIpc;
  readonly #namespace: string;
  readonly #timeout: number;

  constructor(ipc: SessionWorkerIpc, namespace: string, timeout: number) {
    this.#ipc = ipc;
    this.#namespace = namespace;
    this.#timeout = timeout;
  }

  read(id: string): Promise<StoredFields | null> {
    return this.#request({ type: 'read', payload: { id } });
  }

  write(id: string, command: WriteCommand): Promise<WriteOutcome> {
    return this.#request({ type: 'write', payload: { id, command } });
  }

  destroy(id: string): Promise<void> {
    return this.#request({ type: 'destroy', payload: { id } });
  }

  atomic(id: string, command: AtomicCommand): Promise<AtomicOutcome> {
    return this.#request({ type: 'atomic', payload: { id, command } });
  }

  ping(): Promise<void> {
    return this.#request({ type: 'ping', payload: undefined });
  }

  #request<T>(request: SessionRequest): Promise<T> {
    return this.#ipc.request<T>(this.#namespace, request.type, request.payload, {
      timeout: this.#timeout,
    });
  }
}
