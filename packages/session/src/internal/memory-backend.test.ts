import { describe, expect, it } from 'vitest';
import type { WriteCommand } from './backend.js';
import { MemoryBackend } from './memory-backend.js';

const write = (set: Record<string, string>, extra: Partial<WriteCommand> = {}): WriteCommand => ({
  set,
  del: [],
  expect: null,
  mustExist: false,
  ttlMs: 1000,
  ...extra,
});

describe('MemoryBackend', () => {
  it('evicts the least recently used session beyond maxSessions', async () => {
    const backend = new MemoryBackend({ maxSessions: 2 });
    await backend.write('a', write({ x: '1' }));
    await backend.write('b', write({ x: '2' }));
    await backend.read('a'); // a is now more recent than b
    await backend.write('c', write({ x: '3' }));
    expect(backend.size).toBe(2);
    expect(await backend.read('b')).toBeNull();
    expect(await backend.read('a')).toEqual({ x: '1' });
    expect(await backend.read('c')).toEqual({ x: '3' });
  });

  it('evicts exactly the least recently used one through thousands of reads, writes and deletes', async () => {
    const max = 50;
    const backend = new MemoryBackend({ maxSessions: max });
    const order: string[] = []; // the reference model: least recently used first
    const touch = (id: string) => {
      const at = order.indexOf(id);
      if (at !== -1) order.splice(at, 1);
      order.push(id);
      if (order.length > max) order.shift();
    };
    let seed = 7;
    const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let step = 0; step < 20_000; step++) {
      const id = `s${random(120)}`;
      const action = random(10);
      if (action < 5) {
        await backend.write(id, write({ x: String(step) }, { ttlMs: 3_600_000 }));
        touch(id);
      } else if (action < 9) {
        const found = (await backend.read(id)) !== null;
        expect(found).toBe(order.includes(id));
        if (found) touch(id);
      } else {
        await backend.destroy(id);
        if (order.includes(id)) order.splice(order.indexOf(id), 1);
      }
      expect(backend.size).toBe(order.length);
    }
    for (const id of order) expect(await backend.read(id)).not.toBeNull();
  });

  it('expires a session after its TTL and refuses to resurrect it', async () => {
    let now = 1_000;
    const backend = new MemoryBackend({ maxSessions: 10, now: () => now });
    await backend.write('a', write({ x: '1' }, { ttlMs: 500 }));
    now = 1_499;
    expect(await backend.read('a')).toEqual({ x: '1' });
    now = 1_500;
    expect(await backend.read('a')).toBeNull();
    expect(await backend.write('a', write({ y: '2' }, { mustExist: true }))).toEqual({
      status: 'gone',
    });
    expect(
      await backend.atomic('a', {
        kind: 'incr',
        field: 'n',
        value: '1',
        mustExist: true,
        ttlMs: 1,
      }),
    ).toEqual({
      status: 'gone',
    });
  });

  it('applies compare-and-set all or nothing', async () => {
    const backend = new MemoryBackend({ maxSessions: 10 });
    await backend.write('a', write({ x: '1', y: '1' }));
    const outcome = await backend.write(
      'a',
      write(
        { x: '2', y: '2' },
        {
          expect: [
            ['x', '1'],
            ['y', '0'],
          ],
        },
      ),
    );
    expect(outcome).toEqual({ status: 'conflict', fields: ['y'] });
    expect(await backend.read('a')).toEqual({ x: '1', y: '1' });
  });

  it('appends to arrays keeping stored bytes and adds to sets once', async () => {
    const backend = new MemoryBackend({ maxSessions: 10 });
    await backend.write('a', write({ list: '[1.50,"a/b"]' }));
    const op = (kind: 'append' | 'addToSet', value: string) =>
      backend.atomic('a', { kind, field: 'list', value, mustExist: true, ttlMs: 1000 });
    expect(await op('append', '3')).toEqual({ status: 'ok', value: '[1.50,"a/b",3]' });
    expect(await op('addToSet', '"a/b"')).toEqual({ status: 'ok', value: '[1.50,"a/b",3]' });
    await backend.write('a', write({ word: '"x"' }));
    expect(
      await backend.atomic('a', {
        kind: 'incr',
        field: 'word',
        value: '1',
        mustExist: true,
        ttlMs: 1,
      }),
    ).toEqual({
      status: 'wrong-type',
    });
  });
});
