/**
 * koa-session's bookkeeping of a session: `_expire` (when it expires), `_maxAge` (its lifetime)
 * or `_session` (a browser-session cookie). It is stored in one meta field next to the user's
 * fields, rewritten on every save, never merged. Only this module knows those names: the store
 * core and session() use SessionMeta, and the koa-session adapter converts at its edge.
 */
export interface SessionMeta {
  /** When the session expires (ms since the epoch); absent for a browser-session one. */
  expire?: number;
  /** Its lifetime in ms, or `'session'` for a browser-session cookie. */
  lifetime?: number | 'session';
}

/** Expired by its own bookkeeping: koa-session then starts a new session, and so does session(). */
export function hasExpired(meta: SessionMeta | undefined, now = Date.now()): boolean {
  return meta?.expire !== undefined && meta.expire < now;
}

/** The meta field's text, in koa-session's names. */
export function metaText(meta: SessionMeta): string {
  const { expire, lifetime } = meta;
  // The shape of nearly every save, written without the generic JSON walk (same text).
  if (Number.isFinite(expire) && typeof lifetime === 'number' && Number.isFinite(lifetime)) {
    return `{"_expire":${String(expire)},"_maxAge":${String(lifetime)}}`;
  }
  return JSON.stringify(toKoaFields(meta));
}

/** The bookkeeping from the meta field's text; throws when the text is not valid. */
export function parseMeta(text: string): SessionMeta {
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed !== 'object' || parsed === null) throw new TypeError('meta is not an object');
  return fromKoaFields(parsed as Record<string, unknown>);
}

/** The bookkeeping on a session koa-session hands its store (or on the parsed meta field). */
export function fromKoaFields(session: Readonly<Record<string, unknown>>): SessionMeta {
  const meta: SessionMeta = {};
  if (typeof session._expire === 'number') meta.expire = session._expire;
  if (typeof session._maxAge === 'number') meta.lifetime = session._maxAge;
  else if (session._session === true) meta.lifetime = 'session';
  return meta;
}

/** koa-session's fields for `meta`, as the sessions its store returns carry them. */
export function toKoaFields(meta: SessionMeta | undefined): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (meta?.expire !== undefined) fields._expire = meta.expire;
  if (typeof meta?.lifetime === 'number') fields._maxAge = meta.lifetime;
  else if (meta?.lifetime === 'session') fields._session = true;
  return fields;
}
