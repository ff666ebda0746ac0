import { incr } from '@koa-fleet/session';
import { cartOf } from '../cart.js';
import { renderPage } from '../page.js';
import type { Route } from '../router.js';
import type { SessionKind, WorkerView } from '../worker-view.js';

/**
 * `GET /`: which process served me. JSON for curl and load tools (no session touched, so a load
 * creates no sessions); a browser asking for HTML gets the page, which also counts its visits
 * in the session, so reloading shows the workers taking turns while the count goes on.
 */
export function identityRoutes(view: WorkerView, store: SessionKind): Route[] {
  return [
    {
      method: 'GET',
      path: '/',
      async handle(ctx) {
        if (ctx.accepts('json', 'html') !== 'html') {
          ctx.body = view;
          return;
        }
        const visits = await incr(ctx, 'visits');
        ctx.type = 'html';
        ctx.body = renderPage({ ...view, visits, store, cart: cartOf(ctx.session) });
      },
    },
  ];
}
