import type { RequestListener } from 'node:http';
import type { WorkerContext } from './worker-context.js';

/** The part of a Koa app the cluster needs: it owns listen(), so only the request handler. */
export interface KoaLike {
  callback(): RequestListener;
  use(middleware: unknown): unknown;
}

/** A Koa app, or a factory called with the worker's context that returns (a promise of) one. */
export type AppSource = KoaLike | ((worker: WorkerContext) => KoaLike | Promise<KoaLike>);

export function isKoaLike(value: unknown): value is KoaLike {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as KoaLike).callback === 'function' &&
    typeof (value as KoaLike).use === 'function'
  );
}
