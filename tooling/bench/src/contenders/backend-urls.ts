import { ServerStartError } from '../errors.js';
import type { StartContext } from '../scenario.js';

/**
 * The env variable a scenario's `setup` (helloBackends) hands every proxy contender: the URLs of
 * the backends to balance over, comma-separated.
 */
export const BACKENDS_ENV = 'BACKENDS';

/** The backends a contender was started with (`env` from helloBackends); throws when none. */
export function backendUrls(contender: string, { env = {} }: StartContext): string[] {
  const urls = (env[BACKENDS_ENV] ?? '').split(',').filter(Boolean);
  if (urls.length === 0) {
    throw new ServerStartError(
      `contender "${contender}" proxies to the scenario's backends, and got none ` +
        `(give the scenario \`setup: helloBackends(n)\`)`,
    );
  }
  return urls;
}
