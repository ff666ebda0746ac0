import { execFileSync } from 'node:child_process';
import { MissingBinaryError, NetnsUnavailableError } from './errors.js';
import type { Skippable } from './internal/binary-gate.js';
import { findBinary } from './internal/find-binary.js';

let probed: { reason: string | undefined } | undefined;

/**
 * Why `ip netns` cannot be used here, or undefined when it can. Decided once per process by
 * making (and removing) a real namespace: being root is not enough inside some containers.
 */
export function netnsUnavailableReason(): string | undefined {
  probed ??= { reason: probe() };
  return probed.reason;
}

function probe(): string | undefined {
  if (process.platform !== 'linux') return `${process.platform} has no network namespaces`;
  if (process.getuid?.() !== 0) return 'it needs root (ip netns add)';
  const ip = findBinary('ip');
  if (!ip) return 'the ip command is missing: install it with `apt-get install -y iproute2`';
  const name = `kfprobe${process.pid}`;
  try {
    execFileSync(ip, ['netns', 'add', name], { stdio: 'pipe' });
  } catch (error) {
    return `ip netns add failed: ${String((error as { stderr?: unknown }).stderr ?? error).trim()}`;
  }
  execFileSync(ip, ['netns', 'delete', name], { stdio: 'pipe' });
  return undefined;
}

export function netnsAvailable(): boolean {
  return netnsUnavailableReason() === undefined;
}

/** Absolute path of `ip`, for `ip netns exec`; a MissingBinaryError when it is not installed. */
export function ipBinary(): string {
  const path = findBinary('ip');
  if (!path) throw new MissingBinaryError('ip', 'install it with `apt-get install -y iproute2`');
  return path;
}

/**
 * Gate for a test that needs network namespaces, as `requireNginx` is for nginx: skipped through
 * `ctx.skip()` when they are not available, except under `CI=true`, where it throws (a runner
 * that cannot run the test must not pass silently). Returns whether they are available.
 */
export function requireNetns(ctx?: Skippable): boolean {
  const reason = netnsUnavailableReason();
  if (reason === undefined) return true;
  if (process.env.CI === 'true') throw new NetnsUnavailableError(reason);
  ctx?.skip(`network namespaces are not available: ${reason}`);
  return false;
}
