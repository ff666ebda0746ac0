import { META_FIELD, type StoredFields } from './backend.js';
import { parseMeta, type SessionMeta } from './session-meta.js';
import type { SessionSerializer } from '../serializer.js';

export interface DecodedSession {
  /** The user's fields. */
  data: Record<string, unknown>;
  /** The stored text of every field that parsed: the base this request's writes are diffed against. */
  fields: StoredFields;
  /** koa-session's bookkeeping, when stored and valid. */
  meta: SessionMeta | undefined;
}

/**
 * A field that does not parse is reported and left out of both results, so the request neither
 * deletes nor rewrites it unless it sets the field itself; it stays in the store for inspection.
 */
export function decodeStored(
  stored: StoredFields,
  serializer: SessionSerializer,
  onCorrupt: (field: string, error: unknown) => void,
): DecodedSession {
  const data: Record<string, unknown> = {};
  const fields: StoredFields = {};
  for (const [field, text] of Object.entries(stored)) {
    if (field === META_FIELD) continue;
    try {
      data[field] = serializer.parse(text);
      fields[field] = text;
    } catch (error) {
      onCorrupt(field, error);
    }
  }
  let meta: SessionMeta | undefined;
  const metaText = stored[META_FIELD];
  try {
    if (metaText !== undefined) meta = parseMeta(metaText);
  } catch (error) {
    // Without its expiry the session is still served; the TTL bounds its life anyway.
    onCorrupt(META_FIELD, error);
  }
  return { data, fields, meta };
}
