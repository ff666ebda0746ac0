import { createConnection } from 'node:net';
import { createInterface } from 'node:readline';
import { ControlSocketClosedError } from '../../errors.js';
import type { ControlCommand, ControlReply, ControlRequest } from '@koa-fleet/contracts';

/** Sends one command to a running primary's control socket and resolves with its answer. */
export function sendControl(path: string, command: ControlCommand): Promise<ControlReply> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    socket.once('error', reject);
    const request: ControlRequest = { command };
    socket.once('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    createInterface({ input: socket }).once('line', (line) => {
      resolve(JSON.parse(line) as ControlReply);
      socket.end();
    });
    socket.once('close', () => reject(new ControlSocketClosedError()));
  });
}
