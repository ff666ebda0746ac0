/**
 * koa-session hands the store its own bookkeeping (`_expire`, `_maxAge`, `_session`) next to
 * the user's fields; user fields never start with `_` (koa-session drops those from toJSON).
 * The bookkeeping is kept in one meta field, rewritten on every save, never merged.
 */

export interface SplitSession {
  user: Record<string, unknown>;
  meta: Record<string, unknown>;
}

const META_KEYS = ['_expire', '_maxAge', '_session'] as const;

export function splitSession(session: Record<string, unknown>): SplitSession {
  const user: Record<string, unknown> = {};
  const meta: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(session)) {
    if ((META_KEYS as readonly string[]).includes(key)) meta[key] = value;
    else if (!key.startsWith('_')) user[key] = value;
  }
  return { user, meta };
}

export function toMeta(meta: Record<string, unknown>): string {
  const { _expire: expire, _maxAge: maxAge } = meta;
  // The shape of nearly every save, written without the generic JSON walk (same text).
  if (Object.keys(meta).length === 2 && Number.isFinite(expire) && Number.isFinite(maxAge)) {
    return `{"_expire":${String(expire)},"_maxAge":${String(maxAge)}}`;
  }
  return JSON.stringify(meta);
}

/** koa-session's bookkeeping from the meta field; throws when the stored text is not valid. */
export function fromMeta(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed !== 'object' || parsed === null) throw new TypeError('meta is not an object');
  const meta: Record<string, unknown> = {};
  for (const key of META_KEYS) {
    if (key in parsed) meta[key] = (parsed as Record<string, unknown>)[key];
  }
  return meta;
}
