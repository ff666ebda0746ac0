import { BinaryGate, type Skippable } from './internal/binary-gate.js';

export type { Skippable } from './internal/binary-gate.js';

const nginx = new BinaryGate(
  'nginx',
  'install it with `apt-get install -y nginx` (or run scripts/bootstrap.sh)',
);

/** Absolute path of nginx, or a MissingBinaryError with the install command. */
export function nginxBinary(): string {
  return nginx.binary();
}

export function nginxAvailable(): boolean {
  return nginx.available();
}

/**
 * Gate for a test that needs nginx. Under `CI=true` a missing nginx throws (a broken runner must
 * not pass silently); elsewhere the test is skipped through `ctx.skip()` when a context is given.
 * Returns whether nginx is available.
 *
 * it('proxies', (ctx) => { requireNginx(ctx); ... })
 */
export function requireNginx(ctx?: Skippable): boolean {
  return nginx.require(ctx);
}
