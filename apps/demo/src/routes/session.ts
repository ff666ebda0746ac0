import type { Context } from 'koa';
import { incr } from '@koa-fleet/session';
import { addToCart, cartOf, isCartItem } from '../cart.js';
import { reject, type Route } from '../router.js';
import type { SessionKind, WorkerView } from '../worker-view.js';

/**
 * The session, shared by every worker: a visit counter (the session package's atomic `incr`:
 * exact however many requests run at once, on whichever workers) and a cart changed by field
 * merges (two tabs adding different items both keep theirs).
 */
export function sessionRoutes(view: WorkerView, store: SessionKind): Route[] {
  const show = (ctx: Context, visits: unknown) => ({
    ...view,
    store,
    visits: typeof visits === 'number' ? visits : 0,
    cart: cartOf(ctx.session),
  });
  return [
    {
      method: 'GET',
      path: '/session',
      handle(ctx) {
        ctx.body = show(ctx, ctx.session?.visits);
      },
    },
    {
      method: 'POST',
      path: '/session/visit',
      async handle(ctx) {
        ctx.body = show(ctx, await incr(ctx, 'visits'));
      },
    },
    {
      method: 'POST',
      path: '/session/cart',
      handle(ctx) {
        const item = ctx.query.item;
        if (typeof item !== 'string' || !isCartItem(item)) {
          const got = JSON.stringify(item);
          reject(
            ctx,
            400,
            `query parameter "item" must be 1 to 40 letters, digits or "-", got ${got}`,
          );
          return;
        }
        // Not null: session() puts one on every request, and only DELETE /session destroys it.
        addToCart(ctx.session!, item);
        ctx.body = show(ctx, ctx.session?.visits);
      },
    },
    {
      method: 'DELETE',
      path: '/session',
      handle(ctx) {
        ctx.session = null;
        ctx.body = { ...view, store, visits: 0, cart: {} };
      },
    },
  ];
}
