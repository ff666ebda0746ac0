import { MissingBinaryError } from './errors.js';
import { findBinary } from './internal/find-binary.js';

const INSTALL_HINT = 'install it with `apt-get install -y nginx` (or run scripts/bootstrap.sh)';

/** Absolute path of nginx, or a MissingBinaryError with the install command. */
export function nginxBinary(): string {
  const path = findBinary('nginx');
  if (!path) throw new MissingBinaryError('nginx', INSTALL_HINT);
  return path;
}

export function nginxAvailable(): boolean {
  return findBinary('nginx') !== undefined;
}

/** Anything with vitest's `ctx.skip()`. */
export interface Skippable {
  skip(note?: string): void;
}

/**
 * Gate for a test that needs nginx. Under `CI=true` a missing nginx throws (a broken runner must
 * not pass silently); elsewhere the test is skipped through `ctx.skip()` when a context is given.
 * Returns whether nginx is available.
 *
 * it('proxies', (ctx) => { requireNginx(ctx); ... })
 */
export function requireNginx(ctx?: Skippable): boolean {
  if (nginxAvailable()) return true;
  if (process.env.CI === 'true') nginxBinary();
  ctx?.skip('nginx is not installed');
  return false;
}
