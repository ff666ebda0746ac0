import { isIP } from 'node:net';
import { checkPort, checkString, InvalidOptionError } from '@koa-fleet/errors';
import { checkOptionObject } from '../internal/option-object.js';

/** The admin listener: the Admin API v1 (`/api/v1/…`) and Prometheus `/metrics`. */
export interface AdminOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default '127.0.0.1'. Any other than a loopback address needs `token`. */
  host?: string;
  /**
   * Every request must then say `Authorization: Bearer <token>`. At least 16 characters; the CLI
   * also reads it from `KOA_FLEET_ADMIN_TOKEN`.
   */
  token?: string;
}

export interface ResolvedAdmin {
  port: number;
  host: string;
  token: string | undefined;
}

const ADMIN_KEYS = Object.keys({
  port: true,
  host: true,
  token: true,
} satisfies Record<keyof AdminOptions, true>);

export const DEFAULT_ADMIN_HOST = '127.0.0.1';
const MIN_TOKEN_LENGTH = 16;

/** `admin`: off when left out. */
export function resolveAdmin(input: unknown): ResolvedAdmin | undefined {
  if (input === undefined) return undefined;
  const given = checkOptionObject<AdminOptions>(
    'admin',
    input,
    ADMIN_KEYS,
    'an object such as { port: 9090 }',
  );
  const host = checkString('admin.host', given.host ?? DEFAULT_ADMIN_HOST);
  const token = given.token === undefined ? undefined : checkString('admin.token', given.token);
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new InvalidOptionError(
      'admin.token',
      `a secret of at least ${MIN_TOKEN_LENGTH} characters`,
      `${token.length} characters`,
    );
  }
  if (token === undefined && !isLoopback(host)) {
    // Whoever reaches the port could change the backends: off loopback, only with a token.
    throw new InvalidOptionError(
      'admin.token',
      `set when admin.host is not a loopback address (${host} is reachable from other hosts)`,
      undefined,
    );
  }
  return { port: checkPort('admin.port', given.port), host, token };
}

/** 127.0.0.0/8, ::1 and `localhost`; `0.0.0.0` and `::` are every address, not loopback. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (bare === '::1') return true;
  return /^::ffff:127\./i.test(bare);
}
