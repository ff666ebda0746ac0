import { describe, expect, it } from 'vitest';
import { canSkipUnchangedSave } from './skip-save.js';

const HOUR = 3_600_000;
const stored = (meta: { expire?: number; lifetime?: number | 'session' } | undefined) => ({
  fields: {},
  existed: true,
  meta,
});

describe('canSkipUnchangedSave', () => {
  it('skips in the first half of the session’s life, not in the second', () => {
    const now = Date.now();
    expect(canSkipUnchangedSave(stored({ expire: now + 0.9 * HOUR, lifetime: HOUR }), HOUR)).toBe(
      true,
    );
    expect(canSkipUnchangedSave(stored({ expire: now + 0.4 * HOUR, lifetime: HOUR }), HOUR)).toBe(
      false,
    );
  });

  it('skips for a browser-session session, which has no expiry to extend', () => {
    expect(canSkipUnchangedSave(stored({ lifetime: 'session' }), 'session')).toBe(true);
  });

  it('saves when the bookkeeping is not stored or not known, or the session is new', () => {
    expect(canSkipUnchangedSave(stored(undefined), HOUR)).toBe(false);
    expect(canSkipUnchangedSave(stored({}), HOUR)).toBe(false);
    expect(canSkipUnchangedSave({ fields: {}, existed: false }, HOUR)).toBe(false);
    expect(canSkipUnchangedSave(stored({ expire: Date.now() + HOUR }), undefined)).toBe(false);
  });
});
