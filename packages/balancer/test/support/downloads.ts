import { get } from 'node:http';

/** How one download through the balancer ended. */
export interface Download {
  /** The response's status, 0 when no head came. */
  status: number;
  receivedBytes: number;
  /** The whole body came and the response ended. */
  complete: boolean;
}

/**
 * GETs `url` and reads its body slowly — a pause of `pauseMs` after every chunk — so the
 * balancer's socket to this client stays full and most of its writes meet back-pressure, the
 * last one included. Resolves when the response ends or fails; never rejects.
 */
export function slowDownload(url: string, pauseMs = 1): Promise<Download> {
  return new Promise((resolve) => {
    let status = 0;
    let receivedBytes = 0;
    const req = get(url, { agent: false }, (res) => {
      status = res.statusCode ?? 0;
      res.on('data', (chunk: Buffer) => {
        receivedBytes += chunk.length;
        res.pause();
        setTimeout(() => res.resume(), pauseMs);
      });
      res.on('end', () => resolve({ status, receivedBytes, complete: true }));
      res.on('error', () => resolve({ status, receivedBytes, complete: false }));
    });
    req.on('error', () => resolve({ status, receivedBytes, complete: false }));
  });
}

/**
 * GETs `url` and destroys the socket as soon as the first bytes of the body came: a client that
 * leaves in the middle of a download. Resolves with what it got; never rejects.
 */
export function abandonedDownload(url: string): Promise<Download> {
  return new Promise((resolve) => {
    let status = 0;
    const req = get(url, { agent: false }, (res) => {
      status = res.statusCode ?? 0;
      res.once('data', (chunk: Buffer) => {
        req.destroy();
        resolve({ status, receivedBytes: chunk.length, complete: false });
      });
      res.on('end', () => resolve({ status, receivedBytes: 0, complete: true }));
    });
    req.on('error', () => resolve({ status, receivedBytes: 0, complete: false }));
  });
}
