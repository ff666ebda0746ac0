import type { Context, Middleware } from 'koa';

/** One route: an exact method and path. The demo has a handful, so no router package. */
export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  handle(ctx: Context): Promise<void> | void;
}

/**
 * Serves `list`; a known path with another method is a 405 with `Allow`, an unknown path goes
 * on to `next` (and ends as Koa's 404). HEAD is answered by the GET route, as HTTP wants.
 */
export function router(list: readonly Route[]): Middleware {
  return async (ctx, next) => {
    const onPath = list.filter((route) => route.path === ctx.path);
    if (onPath.length === 0) return next();
    const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
    const route = onPath.find((candidate) => candidate.method === method);
    if (!route) {
      ctx.set('Allow', onPath.map((candidate) => candidate.method).join(', '));
      reject(ctx, 405, `${ctx.method} is not served on ${ctx.path}`);
      return;
    }
    await route.handle(ctx);
  };
}

/** Answers a request the route cannot serve, as JSON naming what is wrong. */
export function reject(ctx: Context, status: 400 | 405, message: string): void {
  ctx.status = status;
  ctx.body = { error: status === 400 ? 'bad_request' : 'method_not_allowed', message };
}
