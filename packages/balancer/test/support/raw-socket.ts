import { connect } from 'node:net';

/** What came back on a raw connection. */
export interface RawReply {
  /** Everything the balancer wrote. */
  text: string;
  /** The status line's code, or 0 when nothing came. */
  status: number;
  /** Whether the balancer closed the connection (false: the test gave up waiting and closed it). */
  closedByServer: boolean;
}

/**
 * Writes `parts` on a new connection to `url`, as bytes exactly as given: strings are sent, a
 * number waits that many ms first (a slow client). Resolves once the balancer closes the
 * connection, or `timeout` ms after the last part. Writing stops as soon as the connection is
 * closed, as a real client's would.
 */
export function rawRequest(
  url: string,
  parts: (string | Buffer | number)[],
  { timeout = 10_000 } = {},
): Promise<RawReply> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve) => {
    let text = '';
    let closedByServer = false;
    let ended = false;
    let timer: NodeJS.Timeout | undefined;
    const socket = connect(Number(port), hostname);
    const finish = () => {
      clearTimeout(timer);
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
      timer = setTimeout(() => socket.destroy(), timeout);
    });
  });
}

/** `count` copies of `[pause, part]`: a client that sends `part` every `pause` ms. */
export function trickle(part: string, pause: number, count: number): (string | number)[] {
  return Array.from({ length: count }, () => [pause, part]).flat();
}
