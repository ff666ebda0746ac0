import { describe, expect, it } from 'vitest';
import { NO_SESSION, recordAtomic } from './snapshot.js';

describe('recordAtomic', () => {
  it('records the stored field as read, keeping the rest and the bookkeeping', () => {
    const before = { fields: { a: '1' }, existed: true, meta: { expire: 5, lifetime: 10 } };
    expect(recordAtomic(before, 'n', '3')).toEqual({
      fields: { a: '1', n: '3' },
      existed: true,
      meta: { expire: 5, lifetime: 10 },
    });
    expect(before.fields).toEqual({ a: '1' });
  });

  it('marks a session an atomic helper created as existing, without bookkeeping', () => {
    expect(recordAtomic(NO_SESSION, 'n', '1')).toEqual({
      fields: { n: '1' },
      existed: true,
      meta: undefined,
    });
  });
});
