import type { Redis } from 'ioredis';
import { startRedis, type RedisServer } from '@koa-fleet/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { redisStore } from '../dist/index.js';
import { commandStats, connectRedis } from './support/redis-clients.js';

const MINUTE = 60_000;
let next = 0;
/** A fresh valid session id (16+ characters of [A-Za-z0-9_-]). */
const newId = () => `batching-${String(next++).padStart(12, '0')}`;
const keyOf = (id: string) => `kf:sess:{${id}}`;

/**
 * Write script calls that ran since the last reset. The store sends EVALSHA and, when Redis does
 * not know the script yet (NOSCRIPT, a failed call), EVAL with its text: count what ran.
 */
async function scriptCalls(client: Redis): Promise<number> {
  const { eval: byText, evalsha: bySha } = await commandStats(client);
  return (byText ? byText.calls - byText.failed : 0) + (bySha ? bySha.calls - bySha.failed : 0);
}

describe('Redis writes issued together', () => {
  let redis: RedisServer;
  let client: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    client = await connectRedis(redis.port);
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });
  beforeEach(async () => {
    await client.config('RESETSTAT');
  });

  it('sends the writes of one event-loop turn in script calls of at most 64, each session stored whole', async () => {
    const store = redisStore({ client });
    const ids = Array.from({ length: 150 }, newId);
    await Promise.all(ids.map((id, i) => store.set(id, { n: i, name: `s${i}` }, MINUTE)));

    expect(await scriptCalls(client)).toBe(3); // 64 + 64 + 22
    for (const [i, id] of ids.entries()) {
      const stored = await client.hgetall(keyOf(id));
      expect({ n: stored.n, name: stored.name }).toEqual({ n: String(i), name: `"s${i}"` });
      expect(await client.pttl(keyOf(id))).toBeGreaterThan(0);
    }
  });

  it('fails only the write whose key holds something else, not the others in its call', async () => {
    const store = redisStore({ client });
    const [before, taken, after] = [newId(), newId(), newId()];
    await client.set(keyOf(taken), 'not a hash');
    await client.config('RESETSTAT');

    const results = await Promise.allSettled([
      store.set(before, { a: 1 }, MINUTE),
      store.set(taken, { a: 2 }, MINUTE),
      store.set(after, { a: 3 }, MINUTE),
    ]);

    expect(await scriptCalls(client)).toBe(1);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const error = (results[1] as PromiseRejectedResult).reason as Error & { code?: string };
    expect(error.message).toMatch(/WRONGTYPE/);
    expect(error.code).toBeUndefined(); // a command error, not an outage (503)
    expect(await client.get(keyOf(taken))).toBe('not a hash');
    expect(await client.hget(keyOf(before), 'a')).toBe('1');
    expect(await client.hget(keyOf(after), 'a')).toBe('3');
  });

  it.each([
    ['deletes a field', 'last-writer-wins', { b: 1 }],
    ['compares a field (compare-and-set)', 'compare-and-set', { a: 2, b: 1 }],
  ] as const)(
    'fails only the write whose key was replaced by another type when the write %s first',
    async (_, conflicts, update) => {
      const store = redisStore({ client, conflicts });
      const [before, replaced, after] = [newId(), newId(), newId()];
      const readers = [{}, {}, {}];
      for (const [i, id] of [before, replaced, after].entries()) {
        await store.set(id, { a: 1, b: 0 }, MINUTE);
        await store.get(id, MINUTE, { ctx: readers[i] });
      }
      await client.set(keyOf(replaced), 'not a hash'); // by something else, after the read
      await client.config('RESETSTAT');

      const results = await Promise.allSettled(
        [before, replaced, after].map((id, i) =>
          store.set(id, update, MINUTE, { ctx: readers[i] }),
        ),
      );

      expect(await scriptCalls(client)).toBe(1);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((results[1] as PromiseRejectedResult).reason).toMatchObject({
        message: expect.stringMatching(/WRONGTYPE/),
      });
      expect(await client.get(keyOf(replaced))).toBe('not a hash');
      for (const id of [before, after]) {
        expect(await store.get(id, MINUTE)).toEqual(update);
      }
    },
  );

  it('keeps each outcome apart: a destroyed session stays gone beside a new one in the same call', async () => {
    const store = redisStore({ client });
    const [destroyed, fresh] = [newId(), newId()];
    await store.set(destroyed, { a: 1 }, MINUTE);
    const reader = {};
    await store.get(destroyed, MINUTE, { ctx: reader });
    await client.del(keyOf(destroyed)); // logout by another request after this one read it
    await client.config('RESETSTAT');

    await Promise.all([
      store.set(destroyed, { a: 2 }, MINUTE, { ctx: reader }),
      store.set(fresh, { b: 1 }, MINUTE),
    ]);

    expect(await scriptCalls(client)).toBe(1);
    expect(await client.exists(keyOf(destroyed))).toBe(0);
    expect(await client.hget(keyOf(fresh), 'b')).toBe('1');
  });

  it('answers a compare-and-set conflict to the later of two writes in the same call', async () => {
    const store = redisStore({ client, conflicts: 'compare-and-set' });
    const id = newId();
    await store.set(id, { x: 1 }, MINUTE);
    const first = {};
    const second = {};
    await store.get(id, MINUTE, { ctx: first });
    await store.get(id, MINUTE, { ctx: second });
    await client.config('RESETSTAT');

    const results = await Promise.allSettled([
      store.set(id, { x: 2 }, MINUTE, { ctx: first }),
      store.set(id, { x: 3 }, MINUTE, { ctx: second }),
    ]);

    expect(await scriptCalls(client)).toBe(1);
    expect(results[0]!.status).toBe('fulfilled');
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({
      code: 'KF_SESSION_CONFLICT',
      fields: ['x'],
    });
    expect(await client.hget(keyOf(id), 'x')).toBe('2');
  });

  it("honours the client's keyPrefix for every key of a shared call", async () => {
    const prefixed = await connectRedis(redis.port, { keyPrefix: 'app1:' });
    try {
      const store = redisStore({ client: prefixed });
      const ids = [newId(), newId(), newId()];
      await Promise.all(ids.map((id, i) => store.set(id, { i }, MINUTE)));

      for (const [i, id] of ids.entries()) {
        expect(await client.hget(`app1:${keyOf(id)}`, 'i')).toBe(String(i));
        expect(await store.get(id, MINUTE)).toMatchObject({ i });
      }
      expect(await client.exists(keyOf(ids[0]!))).toBe(0);
    } finally {
      prefixed.disconnect();
    }
  });

  it('sends a session too large to share a call in a call of its own', async () => {
    const store = redisStore({ client, maxBytes: '1mb' });
    const big: Record<string, number> = {};
    for (let i = 0; i < 4000; i++) big[`f${i}`] = i; // 8000 arguments: two HSETs in the script
    const [small, large, last] = [newId(), newId(), newId()];

    await Promise.all([
      store.set(small, { a: 1 }, MINUTE),
      store.set(large, big, MINUTE),
      store.set(last, { c: 1 }, MINUTE),
    ]);

    expect(await scriptCalls(client)).toBe(3);
    expect(await client.hlen(keyOf(large))).toBe(4001); // the fields and the meta field
    expect(await client.hget(keyOf(small), 'a')).toBe('1');
    expect(await client.hget(keyOf(last), 'c')).toBe('1');
  });

  it("sends its shared call itself, not through a second auto-pipeline, and leaves the client's settings alone", async () => {
    const own = await connectRedis(redis.port, { autoPipeliningIgnoredCommands: ['get'] });
    try {
      const store = redisStore({ client: own });
      expect(own.options.autoPipeliningIgnoredCommands).toEqual(['get']);
      // Auto-pipelining stays on for everything else.
      const read = own.hget(keyOf(newId()), 'a');
      expect(own.autoPipelineQueueSize).toBe(1);
      await read;

      // The store's own turn-long batching hands the call to ioredis a few turns after set();
      // at no turn in between may it sit in ioredis's auto-pipeline queue.
      const written = store.set(newId(), { a: 1 }, MINUTE);
      let queuedAtMost = 0;
      for (let turn = 0; turn < 5; turn++) {
        await new Promise((resolve) => setImmediate(resolve));
        queuedAtMost = Math.max(queuedAtMost, own.autoPipelineQueueSize);
      }
      await written;
      expect(queuedAtMost).toBe(0);
    } finally {
      own.disconnect();
    }
  });

  it('loads its scripts again when Redis has forgotten them (SCRIPT FLUSH, a restart)', async () => {
    const store = redisStore({ client });
    const id = newId();
    await store.set(id, { a: 1 }, MINUTE);
    await store.get(id, MINUTE);
    await client.script('FLUSH');

    await Promise.all([store.set(id, { a: 2 }, MINUTE), store.set(newId(), { b: 1 }, MINUTE)]);
    const ctx = {};
    await store.get(id, MINUTE, { ctx });
    await client.script('FLUSH');
    expect(await store.atomic(ctx, id, 'incr', 'n', 5)).toBe(5);

    expect(await store.get(id, MINUTE)).toEqual({ a: 2, n: 5 });
    const scripts = await commandStats(client);
    expect(scripts.evalsha?.failed).toBeGreaterThan(0); // NOSCRIPT
    expect(scripts.eval?.calls).toBeGreaterThan(0); // then EVAL, which loads the script
  });
});
