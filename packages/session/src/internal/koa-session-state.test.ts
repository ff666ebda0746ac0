import { describe, expect, it } from 'vitest';
import {
  currentSessionId,
  recordDestroyed,
  recordSaved,
  remember,
  snapshotOf,
} from './koa-session-state.js';
import { NO_SESSION } from './snapshot.js';

const read = { fields: { a: '1' }, existed: true };

describe('koa-session adapter state on ctx', () => {
  it('keeps one snapshot per id for the request, none without a ctx', () => {
    const ctx = {};
    remember(ctx, 'one', read);
    expect(snapshotOf(ctx, 'one')).toBe(read);
    expect(snapshotOf(ctx, 'two')).toBe(NO_SESSION);
    remember(undefined, 'one', read);
    expect(snapshotOf(undefined, 'one')).toBe(NO_SESSION);
  });

  it('follows a regenerated session: a save after a destroy names the new id', () => {
    const ctx = {};
    remember(ctx, 'old', read);
    recordDestroyed(ctx, 'old');
    expect(snapshotOf(ctx, 'old')).toBe(NO_SESSION);
    recordSaved(ctx, 'new', read);
    expect(currentSessionId(ctx, 'old')).toBe('new');
    expect(currentSessionId(ctx, 'new')).toBe('new');
    expect(currentSessionId({}, 'old')).toBe('old');
  });
});
