import { FLEET_NAMESPACES } from '@koa-fleet/contracts';

/**
 * The wire format on the cluster IPC channel. Every koa-fleet message has `kf: 1`; anything else
 * on the channel belongs to another library and is ignored.
 *
 *   request   { kf: 1, kind: 'req',  id, namespace, type, payload }
 *   reply     { kf: 1, kind: 'res',  id, namespace, type, ok: true, payload }
 *             { kf: 1, kind: 'res',  id, namespace, type, ok: false, error: { message, code? } }
 *   broadcast { kf: 1, kind: 'cast', id: 0, namespace, type, payload }
 *
 * The cluster's own control messages (ready, heartbeat, drain, fatal) use `kf:control` casts.
 */
export type Message = RequestMessage | ReplyMessage | CastMessage;

interface Base {
  kf: 1;
  id: number;
  namespace: string;
  type: string;
}
export interface RequestMessage extends Base {
  kind: 'req';
  payload?: unknown;
}
export interface CastMessage extends Base {
  kind: 'cast';
  payload?: unknown;
}
export interface ReplyError {
  message: string;
  code?: string;
}
export type ReplyMessage = Base & { kind: 'res' } & (
    { ok: true; payload?: unknown } | { ok: false; error: ReplyError }
  );

export const CONTROL_NAMESPACE = FLEET_NAMESPACES.control;
export const STATS_NAMESPACE = FLEET_NAMESPACES.stats;

export type Parsed =
  | { kind: 'message'; message: Message }
  | { kind: 'foreign' }
  | { kind: 'malformed'; reason: string };

const KINDS = new Set(['req', 'res', 'cast']);

/** Classifies whatever arrived on the channel; never throws. */
export function parseMessage(raw: unknown): Parsed {
  if (typeof raw !== 'object' || raw === null || (raw as { kf?: unknown }).kf !== 1) {
    return { kind: 'foreign' };
  }
  const m = raw as Record<string, unknown>;
  if (typeof m.kind !== 'string' || !KINDS.has(m.kind)) return malformed('kind', m.kind);
  if (typeof m.id !== 'number' || !Number.isInteger(m.id)) return malformed('id', m.id);
  if (typeof m.namespace !== 'string' || m.namespace === '') {
    return malformed('namespace', m.namespace);
  }
  if (typeof m.type !== 'string') return malformed('type', m.type);
  if (m.kind === 'res') {
    if (typeof m.ok !== 'boolean') return malformed('ok', m.ok);
    if (!m.ok) {
      const error = m.error as { message?: unknown } | undefined;
      if (typeof error !== 'object' || error === null || typeof error.message !== 'string') {
        return malformed('error', m.error);
      }
    }
  }
  return { kind: 'message', message: raw as Message };
}

function malformed(field: string, value: unknown): Parsed {
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? 'undefined';
  } catch {
    shown = typeof value;
  }
  return { kind: 'malformed', reason: `field "${field}" is invalid: ${shown}` };
}
