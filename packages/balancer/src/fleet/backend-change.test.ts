import { describe, expect, it } from 'vitest';
import { withChange, type BackendChange } from './backend-change.js';

const X = 'http://127.0.0.1:3001';
const Y = 'http://127.0.0.1:3002';

function after(...changes: BackendChange[]): BackendChange[] {
  return changes.reduce<BackendChange[]>(withChange, []);
}

describe('the changes a new balancer process applies', () => {
  it('keeps only the last drain or undrain and the last weight of a backend', () => {
    expect(
      after(
        { op: 'drain', url: X },
        { op: 'weight', url: X, weight: 2 },
        { op: 'undrain', url: X },
        { op: 'drain', url: Y },
        { op: 'weight', url: X, weight: 5 },
        { op: 'drain', url: X },
      ),
    ).toEqual([
      { op: 'drain', url: Y },
      { op: 'weight', url: X, weight: 5 },
      { op: 'drain', url: X },
    ]);
  });

  it('forgets a backend added then removed, and keeps the removal of a configured one', () => {
    const config = { url: Y, weight: 2 };
    expect(
      after(
        { op: 'add', url: Y, config },
        { op: 'drain', url: Y },
        { op: 'drain', url: X },
        { op: 'remove', url: Y },
        { op: 'remove', url: X },
      ),
    ).toEqual([{ op: 'remove', url: X }]);
  });

  it('keeps a configured backend removed and added again, in that order', () => {
    expect(
      after(
        { op: 'remove', url: X },
        { op: 'add', url: X, config: X },
        { op: 'weight', url: X, weight: 3 },
        { op: 'remove', url: X },
        { op: 'add', url: X, config: X },
      ),
    ).toEqual([
      { op: 'remove', url: X },
      { op: 'add', url: X, config: X },
    ]);
  });

  it('stays as short as the set of changed backends, however many changes are made', () => {
    let changes: BackendChange[] = [];
    for (let round = 0; round < 1_000; round++) {
      changes = withChange(changes, { op: round % 2 ? 'undrain' : 'drain', url: X });
      changes = withChange(changes, { op: 'weight', url: X, weight: (round % 5) + 1 });
      const added = `http://127.0.0.1:${4_000 + round}`;
      changes = withChange(changes, { op: 'add', url: added, config: added });
      changes = withChange(changes, { op: 'remove', url: added });
    }
    expect(changes).toHaveLength(2);
  });
});
