import { execFileSync } from 'node:child_process';
import { ipBinary } from '@koa-fleet/testkit';
import { HostNetworkError } from '../errors.js';

/** Runs `ip …` and returns what it printed; a HostNetworkError with ip's own message if it fails. */
export function ip(args: readonly string[]): string {
  try {
    return execFileSync(ipBinary(), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new HostNetworkError(`ip ${args.join(' ')} failed: ${stderr || String(error)}`, {
      cause: error,
    });
  }
}
