import { createConnection } from 'node:net';
import { createInterface } from 'node:readline';
import { ControlSocketClosedError } from '../../errors.js';
import type { ControlReply } from './control-server.js';

/** Sends one command to a running primary's control socket and resolves with its answer. */
export function sendControl(path: string, command: 'reload' | 'stop'): Promise<ControlReply> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    socket.once('error', reject);
    socket.once('connect', () => socket.write(`${JSON.stringify({ command })}\n`));
    createInterface({ input: socket }).once('line', (line) => {
      resolve(JSON.parse(line) as ControlReply);
      socket.end();
    });
    socket.once('close', () => reject(new ControlSocketClosedError()));
  });
}
