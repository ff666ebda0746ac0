import { describe, expect, it } from 'vitest';
import { fromKoaFields, hasExpired, metaText, parseMeta, toKoaFields } from './session-meta.js';

describe('session bookkeeping (koa-session’s _expire, _maxAge, _session)', () => {
  it('is stored in koa-session’s names, as before', () => {
    expect(metaText({ expire: 1_700_000_000_000, lifetime: 86_400_000 })).toBe(
      '{"_expire":1700000000000,"_maxAge":86400000}',
    );
    expect(metaText({ lifetime: 'session' })).toBe('{"_session":true}');
    expect(metaText({})).toBe('{}');
  });

  it('reads back what it stored, and refuses text that is not an object', () => {
    for (const meta of [{ expire: 5, lifetime: 10 }, { lifetime: 'session' as const }, {}]) {
      expect(parseMeta(metaText(meta))).toEqual(meta);
    }
    expect(() => parseMeta('42')).toThrow();
    expect(() => parseMeta('not json')).toThrow();
  });

  it('converts to and from the fields of a koa-session session', () => {
    const koa = { user: 'ada', _expire: 5, _maxAge: 10 };
    expect(fromKoaFields(koa)).toEqual({ expire: 5, lifetime: 10 });
    expect(toKoaFields({ expire: 5, lifetime: 10 })).toEqual({ _expire: 5, _maxAge: 10 });
    expect(fromKoaFields({ _session: true })).toEqual({ lifetime: 'session' });
    expect(toKoaFields({ lifetime: 'session' })).toEqual({ _session: true });
    expect(toKoaFields(undefined)).toEqual({});
  });

  it('tells an expired session by its bookkeeping', () => {
    expect(hasExpired({ expire: 999 }, 1000)).toBe(true);
    expect(hasExpired({ expire: 1000 }, 1000)).toBe(false);
    expect(hasExpired({ lifetime: 'session' }, 1000)).toBe(false);
    expect(hasExpired(undefined, 1000)).toBe(false);
  });
});
