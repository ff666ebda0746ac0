import { get } from 'node:http';

/** How far an aborted download got before its client went away. */
export interface AbortedDownload {
  receivedBytes: number;
  /** Some of the body had come, not all of it: the client left in the middle. */
  midBody: boolean;
}

/**
 * GETs `url` (a body of `bytes`), and destroys the socket as soon as the first `afterBytes` of
 * the body have come: a client that closes the tab in the middle of a download.
 */
export function abortingDownload(
  url: string,
  { bytes, afterBytes = 1 }: { bytes: number; afterBytes?: number },
): Promise<AbortedDownload> {
  return new Promise((resolve, reject) => {
    let receivedBytes = 0;
    const req = get(url, { agent: false }, (res) => {
      res.on('data', (chunk: Buffer) => {
        receivedBytes += chunk.length;
        if (receivedBytes < afterBytes) return;
        req.destroy();
        resolve({ receivedBytes, midBody: receivedBytes < bytes });
      });
      res.on('end', () => resolve({ receivedBytes, midBody: false }));
    });
    req.on('error', (error) => (receivedBytes > 0 ? undefined : reject(error)));
  });
}
