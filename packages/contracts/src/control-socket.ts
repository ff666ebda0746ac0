/**
 * The primary's control socket: a unix socket next to the pid file, so `koa-fleet reload` learns
 * whether the reload worked (a signal cannot answer). One JSON line in, one JSON line out.
 */

/** The socket lives next to the pid file: `<pidFile>.sock`. */
export function controlSocketPath(pidFile: string): string {
  return `${pidFile}.sock`;
}

export type ControlCommand = 'reload' | 'stop';

/** The line a client sends. */
export interface ControlRequest {
  command: ControlCommand;
}

/** The line the primary answers; `exitCode` comes with a finished `stop`. */
export type ControlReply =
  { ok: true; exitCode?: number } | { ok: false; code?: string; message: string };
