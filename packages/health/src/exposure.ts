import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import type { ResolvedExposureOptions } from './exposure-options.js';

/**
 * Whether this caller may see check outputs and errors. Loopback is judged by the socket's
 * remote address, so a spoofed X-Forwarded-For cannot unlock details. With `trustProxy` the
 * proxy in front is trusted, and the address *it* appended (the header's last entry) is used —
 * never the first entry, which the client writes itself (Koa's `ctx.ip` would take that one).
 */
export function canSeeDetails(ctx: Context, policy: ResolvedExposureOptions): boolean {
  switch (policy.exposeDetails) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'token':
      return hasToken(ctx, policy.token);
    case 'loopback': {
      const address = policy.trustProxy ? proxiedClient(ctx) : ctx.req.socket.remoteAddress;
      return isLoopback(address) || hasToken(ctx, policy.token);
    }
  }
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

function proxiedClient(ctx: Context): string | undefined {
  const hops = ctx
    .get('x-forwarded-for')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  return hops.at(-1) ?? ctx.req.socket.remoteAddress;
}

function hasToken(ctx: Context, token: string | undefined): boolean {
  if (token === undefined) return false;
  const header = ctx.get('authorization');
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match) return false;
  // Compare digests so the comparison takes the same time whatever the length.
  return timingSafeEqual(digest(match[1]!.trim()), digest(token));
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
