import type { Context } from 'koa';

/** Names the `route` label of a request; `undefined` makes it '*'. */
export type RouteLabel = (ctx: Context) => string | undefined;

/** koa-router and @koa/router record the matched pattern; raw paths would explode cardinality. */
export const matchedRoute: RouteLabel = (ctx) => {
  const matched = (ctx as Context & { _matchedRoute?: unknown })._matchedRoute;
  return typeof matched === 'string' ? matched : undefined;
};
