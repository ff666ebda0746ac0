import { setTimeout as sleep } from 'node:timers/promises';
import { reject, type Route } from '../router.js';
import type { WorkerView } from '../worker-view.js';

/** Long enough to watch a request in flight (a drain, least-conn), short of every timeout. */
const MAX_MS = 30_000;
const DEFAULT_MS = 1000;

/** `GET /slow?ms=250`: answers after `ms` milliseconds (default 1000, at most 30 000). */
export function slowRoutes(view: WorkerView): Route[] {
  return [
    {
      method: 'GET',
      path: '/slow',
      async handle(ctx) {
        const ms = delayOf(ctx.query.ms);
        if (ms === undefined) {
          const got = JSON.stringify(ctx.query.ms);
          reject(
            ctx,
            400,
            `query parameter "ms" must be an integer from 0 to ${MAX_MS}, got ${got}`,
          );
          return;
        }
        await sleep(ms);
        ctx.body = { ...view, sleptMs: ms };
      },
    },
  ];
}

/** The delay asked for, or undefined when it is not one (`-1`, `1.5`, `abc`, repeated). */
function delayOf(text: string | string[] | undefined): number | undefined {
  if (text === undefined) return DEFAULT_MS;
  if (typeof text !== 'string' || !/^\d{1,6}$/.test(text)) return undefined;
  const ms = Number(text);
  return ms <= MAX_MS ? ms : undefined;
}
