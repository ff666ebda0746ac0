import { createConnection } from 'node:net';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { Interface } from 'node:readline';
import type { ControlReply, ControlRequest } from '@koa-fleet/contracts';
import {
  ControlConnectError,
  ControlProtocolError,
  ControlSocketClosedError,
} from '../../errors.js';

/** A connection to a primary's control socket, or ControlConnectError naming the path. */
export function connectControl(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    const failed = (error: NodeJS.ErrnoException) =>
      reject(new ControlConnectError(path, error.code ?? error.message, { cause: error }));
    socket.once('error', failed);
    socket.once('connect', () => {
      socket.off('error', failed);
      socket.on('error', () => {}); // the 'close' that follows is what callers watch
      resolve(socket);
    });
  });
}

/** The socket's lines, one JSON object each; anything else is ControlProtocolError. */
export function jsonLines(socket: Socket): Interface {
  return createInterface({ input: socket, crlfDelay: Infinity });
}

export function parseLine(line: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new ControlProtocolError(`a line is not JSON: ${line.slice(0, 80)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ControlProtocolError(`a line is not a JSON object: ${line.slice(0, 80)}`);
  }
  return value as Record<string, unknown>;
}

/** Sends one command to a running primary's control socket and resolves with its answer. */
export async function sendControl(path: string, request: ControlRequest): Promise<ControlReply> {
  const socket = await connectControl(path);
  return new Promise((resolve, reject) => {
    jsonLines(socket).once('line', (line) => {
      try {
        const reply = parseLine(line);
        if (typeof reply.ok !== 'boolean') {
          throw new ControlProtocolError(`a reply has no "ok": ${line.slice(0, 80)}`);
        }
        resolve(reply as unknown as ControlReply);
      } catch (error) {
        reject(error as Error);
      }
      socket.end();
    });
    socket.once('close', () => reject(new ControlSocketClosedError()));
    socket.write(`${JSON.stringify(request)}\n`);
  });
}
