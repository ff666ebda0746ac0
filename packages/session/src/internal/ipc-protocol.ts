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

/** Runs one request against the backend; a malformed one is refused with a plain error. */
export async function dispatchSessionRequest(
  backend: SessionBackend,
  type: string,
  payload: unknown,
): Promise<unknown> {
  if (type === 'ping') return backend.ping();
  const id = (payload as { id?: unknown } | null)?.id;
  const command = (payload as { command?: unknown } | null)?.command;
  if (typeof id !== 'string') throw new Error(`session IPC "${type}" without a session id`);
  switch (type) {
    case 'read':
      return backend.read(id);
    case 'destroy':
      return backend.destroy(id);
    case 'write':
      if (typeof command !== 'object' || command === null) break;
      return backend.write(id, command as WriteCommand);
    case 'atomic':
      if (typeof command !== 'object' || command === null) break;
      return backend.atomic(id, command as AtomicCommand);
  }
  throw new Error(`malformed session IPC request "${type}"`);
}
