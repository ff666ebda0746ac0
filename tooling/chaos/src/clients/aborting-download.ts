import { get } from 'node:http';

/** How far an aborted download got before its client went away. */
export interface AbortedDownload {
  receivedBytes: number;
  /** Some of the body had come, not all of it: the client left in the middle. */
  midBody: boolean;
  /** The response's head had come (false: not even that, before the deadline). */
  gotHead: boolean;
  /** Nothing more came, and nothing closed, before the deadline: the client gave up. */
  stalled: boolean;
}

/**
 * GETs `url` (a body of `bytes`), and destroys the socket as soon as the first `afterBytes` of
 * the body have come: a client that closes the tab in the middle of a download. Gives up at
 * `deadline` ms, so a stalled download is counted rather than hanging the scenario.
 */
export function abortingDownload(
  url: string,
  {
    bytes,
    afterBytes = 1,
    deadline = 20_000,
  }: { bytes: number; afterBytes?: number; deadline?: number },
): Promise<AbortedDownload> {
  return new Promise((resolve, reject) => {
    let receivedBytes = 0;
    let gotHead = false;
    const done = (outcome: Pick<AbortedDownload, 'midBody' | 'stalled'>) => {
      clearTimeout(giveUp);
      req.destroy();
      resolve({ receivedBytes, gotHead, ...outcome });
    };
    const req = get(url, { agent: false }, (res) => {
      gotHead = true;
      res.on('data', (chunk: Buffer) => {
        receivedBytes += chunk.length;
        if (receivedBytes >= afterBytes) done({ midBody: receivedBytes < bytes, stalled: false });
      });
      res.on('end', () => done({ midBody: false, stalled: false }));
    });
    const giveUp = setTimeout(() => done({ midBody: false, stalled: true }), deadline);
    req.on('error', (error) => {
      if (receivedBytes > 0) return;
      clearTimeout(giveUp);
      reject(error);
    });
  });
}
