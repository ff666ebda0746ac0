import { InvalidOptionError } from '@koa-fleet/errors';
import type { BackendConfig } from '../../backend.js';

/**
 * `--backend http://127.0.0.1:3001=3`: the URL, and after `=` its weight. The URL and the weight
 * are checked by resolveOptions like a config file's, so only the shape is checked here.
 */
export function parseBackendFlag(value: string): BackendConfig {
  const match = /^(.+?)(?:=(.*))?$/.exec(value.trim());
  if (!match?.[1]) {
    throw new InvalidOptionError('--backend', 'a URL, optionally =weight', value);
  }
  const [, url, weight] = match;
  if (weight === undefined) return { url };
  if (!/^\d+$/.test(weight)) {
    throw new InvalidOptionError(
      '--backend',
      'a URL, optionally =weight with a whole number (http://127.0.0.1:3001=3)',
      value,
    );
  }
  return { url, weight: Number(weight) };
}
