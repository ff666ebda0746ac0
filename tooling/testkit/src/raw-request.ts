import { connect } from 'node:net';
import { assertLoopback } from './internal/loopback.js';

/** What came back on a raw connection. */
export interface RawReply {
  /** Everything the server wrote. */
  text: string;
  /** The status line's code, or 0 when nothing came. */
  status: number;
  /** Whether the server closed the connection (false: the test gave up waiting and closed it). */
  closedByServer: boolean;
}

export interface RawRequestOptions {
  /** How long to wait for the server after the last part; default 10 s. */
  timeout?: number;
  /**
   * Gives up this long after connecting, even while parts are still being written: the bound of
   * a "hang" for a client that would otherwise trickle for longer than the test waits.
   */
  deadline?: number;
  /** Half-closes the connection after the last part, as a client that sent all it will. */
  end?: boolean;
}

/**
 * Writes `parts` on a new connection to `url`, as bytes exactly as given: strings are sent, a
 * number waits that many ms first (a slow client). Resolves once the server closes the
 * connection, or `timeout` ms after the last part (or at the `deadline`). Writing stops as soon
 * as the connection is closed, as a real client's would.
 */
export function rawRequest(
  url: string,
  parts: (string | Buffer | number)[],
  { timeout = 10_000, deadline, end = false }: RawRequestOptions = {},
): Promise<RawReply> {
  assertLoopback(url);
  const { port, hostname } = new URL(url);
  return new Promise((resolve) => {
    let text = '';
    let closedByServer = false;
    let ended = false;
    let timer: NodeJS.Timeout | undefined;
    const socket = connect(Number(port), hostname);
    const giveUp =
      deadline === undefined ? undefined : setTimeout(() => socket.destroy(), deadline);
    const finish = () => {
      clearTimeout(timer);
      clearTimeout(giveUp);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ text, status, closedByServer });
    };
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('end', () => (closedByServer = true));
    socket.on('error', () => (closedByServer = true)); // a reset is a close too
    socket.on('close', finish);
    socket.on('connect', async () => {
      for (const part of parts) {
        if (socket.destroyed || socket.writableEnded || closedByServer || ended) break;
        if (typeof part === 'number') await new Promise((wait) => setTimeout(wait, part));
        else socket.write(part);
      }
      ended = true;
      if (end && !socket.destroyed) socket.end();
      timer = setTimeout(() => socket.destroy(), timeout);
    });
  });
}

/** `count` copies of `[pause, part]`: a client that sends `part` every `pause` ms. */
export function trickle(part: string, pause: number, count: number): (string | number)[] {
  return Array.from({ length: count }, () => [pause, part]).flat();
}
