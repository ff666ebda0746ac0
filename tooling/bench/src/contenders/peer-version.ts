import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { findExecutable } from '../internal/find-executable.js';

const require = createRequire(import.meta.url);

/** The version of an npm package this one depends on (a peer it runs), for the reports. */
export function packageVersion(name: string): string {
  return (require(`${name}/package.json`) as { version: string }).version;
}

/**
 * The version a binary prints for `args` (nginx writes it to stderr, haproxy to stdout), found
 * by `pattern`'s first group; `not installed` or `unknown` instead, so a scenario's description
 * can always be built (`pnpm bench --list` must work without every peer installed).
 */
export function binaryVersion(binary: string, args: readonly string[], pattern: RegExp): string {
  const path = findExecutable(binary);
  if (!path) return 'not installed';
  const { stdout = '', stderr = '' } = spawnSync(path, args, { encoding: 'utf8', timeout: 10_000 });
  return pattern.exec(`${stdout}\n${stderr}`)?.[1] ?? 'unknown';
}
