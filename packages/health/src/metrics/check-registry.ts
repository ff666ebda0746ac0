import { checkMethods } from '@koa-fleet/errors';
import type { Registry } from 'prom-client';

/**
 * A Registry is taken by its shape, not `instanceof`: the app may hold another copy of
 * prom-client. `methods` are the ones the caller uses, typed so a misspelt name does not compile.
 */
export function checkRegistry(
  option: string,
  value: unknown,
  methods: ReadonlyArray<keyof Registry>,
): Registry {
  return checkMethods<Registry>(option, value, methods, 'a prom-client Registry');
}
