import { describe, expect, it } from 'vitest';
import { resolveStoreOptions } from '../store-options.js';
import { jsonSerializer, type SessionSerializer } from '../serializer.js';
import { lifetimeOf } from './lifetime.js';
import { MemoryBackend } from './memory-backend.js';
import { NO_SESSION } from './snapshot.js';
import { StoreCore } from './store-core.js';

const ID = 'core-test-session-0001';
const silent = { warn: () => {} };

function core(serializer: SessionSerializer = jsonSerializer) {
  const backend = new MemoryBackend({ maxSessions: 10 });
  return {
    backend,
    core: new StoreCore(backend, resolveStoreOptions({ logger: silent, serializer })),
  };
}

/** A JSON serializer that counts its stringify calls. */
function countingSerializer() {
  const counter = {
    calls: 0,
    serializer: {
      stringify: (value: unknown) => {
        counter.calls++;
        return JSON.stringify(value);
      },
      parse: (text: string) => JSON.parse(text) as unknown,
    },
  };
  return counter;
}

describe('StoreCore', () => {
  it('loads nothing for an unknown id or one no store would make', async () => {
    const { core: store } = core();
    expect(await store.load(ID)).toBeNull();
    expect(await store.load('{bad}')).toBeNull();
  });

  it('loads the fields, their stored text and the bookkeeping as the snapshot', async () => {
    const { core: store } = core();
    const lifetime = lifetimeOf(60_000, 1_000);
    const changes = store.changesSince(NO_SESSION, { user: { name: 'ada' } });
    await store.save(ID, NO_SESSION, changes, lifetime);
    const loaded = await store.load(ID);
    expect(loaded?.data).toEqual({ user: { name: 'ada' } });
    expect(loaded?.snapshot).toEqual({
      fields: { user: '{"name":"ada"}' },
      existed: true,
      meta: { expire: 61_000, lifetime: 60_000 },
    });
  });

  it('serializes each field once and tells only what differs from the snapshot', () => {
    const counter = countingSerializer();
    const { core: store } = core(counter.serializer);
    const snapshot = { fields: { a: '1', b: '2', gone: '3' }, existed: true };
    const changes = store.changesSince(snapshot, { a: 1, b: 20, c: 'new', _private: 1 });
    expect(counter.calls).toBe(3);
    expect(changes.current).toEqual({ a: '1', b: '20', c: '"new"' });
    expect(changes.set).toEqual({ b: '20', c: '"new"' });
    expect(changes.del).toEqual(['gone']);
  });

  it('returns the stored state as the next snapshot, so an unchanged second save finds nothing', async () => {
    const { core: store } = core();
    const first = store.changesSince(NO_SESSION, { a: 1 });
    const snapshot = await store.save(ID, NO_SESSION, first, lifetimeOf(60_000));
    expect(snapshot).toMatchObject({ fields: { a: '1' }, existed: true });
    const again = store.changesSince(snapshot, { a: 1 });
    expect(again.set).toEqual({});
    expect(again.del).toEqual([]);
  });

  it('does not bring back a session destroyed after it was read, and keeps the old snapshot', async () => {
    const { backend, core: store } = core();
    const saved = await store.save(ID, NO_SESSION, store.changesSince(NO_SESSION, { a: 1 }), {
      meta: {},
      storeMs: 60_000,
    });
    await store.destroy(ID);
    const after = await store.save(ID, saved, store.changesSince(saved, { a: 2 }), {
      meta: {},
      storeMs: 60_000,
    });
    expect(after).toBe(saved);
    expect(await backend.read(ID)).toBeNull();
  });

  it('applies an atomic update on a session that must still exist, returning value and stored text', async () => {
    const { core: store } = core();
    expect(await store.atomic(ID, NO_SESSION, 'incr', 'n', 2)).toEqual({ value: 2, stored: '2' });
    const loaded = await store.load(ID);
    await store.destroy(ID);
    await expect(store.atomic(ID, loaded!.snapshot, 'incr', 'n', 1)).rejects.toMatchObject({
      code: 'KF_SESSION_CONFLICT',
    });
  });

  it('refuses atomic updates with a serializer other than JSON', async () => {
    const { core: store } = core(countingSerializer().serializer);
    await expect(store.atomic(ID, NO_SESSION, 'incr', 'n', 1)).rejects.toMatchObject({
      code: 'KF_SESSION_USAGE',
    });
  });
});
