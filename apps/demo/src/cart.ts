import type { Session } from '@koa-fleet/session';

/**
 * The cart lives in the session as one field per item (`cart:apple` → 2), not one `cart`
 * object: the session store merges changes field by field, so two tabs adding different items
 * at the same moment both keep theirs. One `cart` object would be one field, and the second
 * write would drop the first tab's item.
 */
const PREFIX = 'cart:';

/** Item names: short, and safe to show in a page and a field name. */
const ITEM = /^[a-z0-9][a-z0-9-]{0,39}$/i;

export function isCartItem(item: string): boolean {
  return ITEM.test(item);
}

/** Adds one of `item` (a field of its own) and returns the cart as this request sees it. */
export function addToCart(session: Session, item: string): Record<string, number> {
  const field = `${PREFIX}${item}`;
  const count = session[field];
  session[field] = (typeof count === 'number' ? count : 0) + 1;
  return cartOf(session);
}

/** `{ item: count }` from the session's `cart:` fields. */
export function cartOf(session: Session | null): Record<string, number> {
  const cart: Record<string, number> = {};
  if (!session) return cart;
  for (const [field, value] of Object.entries(session.toJSON())) {
    if (field.startsWith(PREFIX) && typeof value === 'number') {
      cart[field.slice(PREFIX.length)] = value;
    }
  }
  return cart;
}
