import type { IncomingHttpHeaders } from 'node:http';

/**
 * Headers that describe one connection, not the message (RFC 9110 §7.6.1), so a proxy never
 * passes them on: the fixed ones, every `Proxy-*`, and every name the `Connection` header lists.
 * `Trailer` goes too (RFC 7230's list): trailers are not forwarded. `Upgrade` goes as well: an
 * upgrade request is passed on by the UpgradeExchange, for which the pool writes `Upgrade` and
 * `Connection` itself, and a 101 gets them back from the backend's own.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** The names a message's `Connection` header lists (lower case), beside the fixed ones. */
export function connectionListed(headers: IncomingHttpHeaders): ReadonlySet<string> | undefined {
  const value = headers.connection;
  // The usual values list no header beside the fixed ones: no set to build for them.
  if (!value || value === 'keep-alive' || value === 'close') return undefined;
  const names = new Set<string>();
  for (const token of (Array.isArray(value) ? value.join(',') : value).split(',')) {
    const name = token.trim().toLowerCase();
    if (name) names.add(name);
  }
  return names;
}

/** `name` is lower case, as Node and the response parser give header names. */
export function isHopByHop(name: string, listed: ReadonlySet<string> | undefined): boolean {
  return HOP_BY_HOP.has(name) || name.startsWith('proxy-') || listed?.has(name) === true;
}
