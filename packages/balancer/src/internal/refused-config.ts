import { InvalidOptionError } from '@koa-fleet/errors';
import { resolveOptions, type BalancerConfig } from '../options.js';

/** For tests: the InvalidOptionError a config is refused with; throws when it is accepted. */
export function refusedConfig(config: unknown): InvalidOptionError {
  try {
    resolveOptions(config as BalancerConfig);
  } catch (error) {
    if (error instanceof InvalidOptionError) return error;
    throw error;
  }
  throw new Error('the config was accepted');
}
