import { connect } from 'node:net';
import { StartupError } from '../errors.js';
import type { SupervisedChild } from './supervised-child.js';
import { waitUntil } from './wait-until.js';

/** True once something accepts a TCP connection on 127.0.0.1:port. */
export function portAccepts(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Resolves once `child` (the server `name`) accepts connections on `port`; rejects with a
 * StartupError holding its output, and `detail()` (a log file of its own), if it exits first.
 */
export function childAccepting(
  child: SupervisedChild,
  name: string,
  port: number,
  detail: () => string = () => '',
): Promise<true> {
  return waitUntil(
    `${name} to accept connections on port ${port}`,
    async () => ((await portAccepts(port)) ? true : undefined),
    {
      abortIf: () =>
        child.exitStatus
          ? new StartupError(`${name} exited during start-up:\n${child.output()}${detail()}`)
          : undefined,
    },
  );
}
