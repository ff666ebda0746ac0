import { STATUS_CODES, type OutgoingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorAnswer } from '../error-answer.js';

/**
 * A response head as text, for a socket Node's server no longer frames: an upgrade request's
 * socket is handed over raw, so its 101, a refusal passed on from the backend, or an error
 * answer is written by hand. The values come from the response parser or from the balancer, so none
 * holds a CR or LF.
 */
export function responseHead(
  status: number,
  statusMessage: string | undefined,
  headers: OutgoingHttpHeaders,
): string {
  let head = `HTTP/1.1 ${status} ${statusMessage || STATUS_CODES[status] || ''}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const line of Array.isArray(value) ? value : [value]) head += `${name}: ${line}\r\n`;
  }
  return `${head}\r\n`;
}

/** Writes an error answer and closes the socket once it is out (its headers say `close`). */
export function endWithAnswer(socket: Duplex, answer: ErrorAnswer): void {
  if (socket.destroyed || socket.writableEnded) return;
  socket.once('finish', () => socket.destroy());
  socket.end(responseHead(answer.status, undefined, answer.headers) + answer.body);
}
