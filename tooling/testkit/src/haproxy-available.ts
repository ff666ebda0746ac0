import { BinaryGate, type Skippable } from './internal/binary-gate.js';

const haproxy = new BinaryGate(
  'haproxy',
  'install it with `apt-get install -y haproxy` (or run scripts/bootstrap.sh)',
);

/** Absolute path of haproxy, or a MissingBinaryError with the install command. */
export function haproxyBinary(): string {
  return haproxy.binary();
}

export function haproxyAvailable(): boolean {
  return haproxy.available();
}

/**
 * Gate for a test that needs HAProxy, as requireNginx() is for nginx: skipped when haproxy is
 * missing, a MissingBinaryError under `CI=true`. Returns whether haproxy is available.
 */
export function requireHaproxy(ctx?: Skippable): boolean {
  return haproxy.require(ctx);
}
