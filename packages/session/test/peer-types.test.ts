import type Koa from 'koa';
import type { Cluster, Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { describe, expectTypeOf, it } from 'vitest';
import type { RedisStoreOptions, Session, StoreOptions } from '../dist/index.js';

// Compile-time: checked by `pnpm typecheck`. The published types declare the ioredis client and
// the prom-client Registry by shape (so they compile without either installed): the real ones
// must still fit, and ctx.session must be this package's Session, not `any`.
describe('structural fit with the optional peers', () => {
  it('takes an ioredis Redis or Cluster and a prom-client Registry', () => {
    expectTypeOf<Redis>().toExtend<RedisStoreOptions['client']>();
    expectTypeOf<Cluster>().toExtend<RedisStoreOptions['client']>();
    expectTypeOf<{ host: string }>().not.toExtend<RedisStoreOptions['client']>();
    expectTypeOf<Registry>().toExtend<NonNullable<StoreOptions['registry']>>();
    expectTypeOf<Map<string, unknown>>().not.toExtend<NonNullable<StoreOptions['registry']>>();
  });

  it("types Koa's ctx.session as the Session", () => {
    expectTypeOf<Koa.Context['session']>().not.toBeAny();
    expectTypeOf<Koa.Context['session']>().toExtend<Session | null>();
    expectTypeOf<Koa.ParameterizedContext['session']>().toExtend<Session | null>();
  });
});
