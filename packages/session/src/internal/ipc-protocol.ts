import { SessionBackendError } from '../errors.js';
import type { AtomicCommand, SessionBackend, WriteCommand } from './backend.js';

/**
 * The embedded store's messages: each SessionBackend method is one IPC request type with the
 * same arguments, so the primary runs exactly the in-memory logic a lone process runs.
 */
export type SessionRequest =
  | { type: 'read'; payload: { id: string } }
  | { type: 'write'; payload: { id: string; command: WriteCommand } }
  | { type: 'destroy'; payload: { id: string } }
  | { type: 'atomic'; payload: { id: string; command: AtomicCommand } }
  | { type: 'ping'; payload: undefined };

/**
 * The primary's handler map: one handler per request type, each checking its payload. A type
 * not listed is answered by the cluster (KF_IPC_UNKNOWN_TYPE); a payload that does not fit is a
 * SessionBackendError, whose code reaches the worker as the IPC error's `remoteCode`.
 */
export function sessionRequestHandlers(
  backend: SessionBackend,
): Record<SessionRequest['type'], (payload: unknown) => Promise<unknown>> {
  return {
    ping: () => backend.ping(),
    read: (payload) => backend.read(idOf('read', payload)),
    destroy: (payload) => backend.destroy(idOf('destroy', payload)),
    write: (payload) =>
      backend.write(idOf('write', payload), commandOf<WriteCommand>('write', payload)),
    atomic: (payload) =>
      backend.atomic(idOf('atomic', payload), commandOf<AtomicCommand>('atomic', payload)),
  };
}

function idOf(type: string, payload: unknown): string {
  const id = (payload as { id?: unknown } | null)?.id;
  if (typeof id !== 'string')
    throw new SessionBackendError(`session IPC "${type}" without a session id`);
  return id;
}

function commandOf<T>(type: string, payload: unknown): T {
  const command = (payload as { command?: unknown } | null)?.command;
  if (typeof command !== 'object' || command === null) {
    throw new SessionBackendError(`malformed session IPC request "${type}"`);
  }
  return command as T;
}
