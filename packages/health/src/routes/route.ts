import type { IncomingMessage } from 'node:http';
import type { Context } from 'koa';
import { HEALTH_JSON, type HealthJson } from '../health-json.js';

/** An endpoint the middleware answers itself instead of passing the request on. */
export type Route = (ctx: Context) => Promise<void>;

/**
 * The endpoint for this request, if any. Reads the raw request line rather than `ctx.path`,
 * which would parse the URL of every request the app serves just to learn it is not a probe.
 */
export function findRoute(routes: Map<string, Route>, req: IncomingMessage): Route | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  const url = req.url ?? '';
  const query = url.indexOf('?');
  return routes.get(query === -1 ? url : url.slice(0, query));
}

/** Probes must never be cached by a proxy in between. */
export function sendHealth(ctx: Context, status: number, body: HealthJson): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = body;
  ctx.type = HEALTH_JSON;
}
