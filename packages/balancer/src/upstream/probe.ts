import type { IncomingHttpHeaders } from 'node:http';
import type { UpstreamController, UpstreamHandler, UpstreamRequest } from './upstream-handler.js';
import type { UpstreamPool } from './upstream-pool.js';
import { UpstreamIoError } from './upstream-io-error.js';

/** A probe's answer: the status and headers; the body was read and dropped. */
export interface ProbeAnswer {
  status: number;
  headers: IncomingHttpHeaders;
}

/**
 * One request whose answer only matters by its head (an active health check): resolves once the
 * response ended, rejects with the pool's error, or with a timeout after `timeoutMs` in all.
 */
export function probe(
  pool: UpstreamPool,
  request: UpstreamRequest,
  timeoutMs: number,
): Promise<ProbeAnswer> {
  return new Promise((resolve, reject) => {
    let answer: ProbeAnswer | undefined;
    let controller: UpstreamController | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      const error = new UpstreamIoError('headers-timeout', `no answer within ${timeoutMs} ms`);
      if (controller) controller.abort(error);
      else reject(error);
    }, timeoutMs);
    const settle = (error?: Error) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(answer!);
    };
    const handler: UpstreamHandler = {
      onRequestStart: (started) => {
        controller = started;
        if (timedOut) started.abort(new UpstreamIoError('headers-timeout', 'timed out'));
      },
      onResponseStart: (_controller, status, headers) => (answer = { status, headers }),
      onResponseData: () => {},
      onResponseEnd: () => settle(),
      onResponseError: (_controller, error) => settle(error),
    };
    pool.dispatch(request, handler);
  });
}
