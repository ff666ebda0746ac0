import type { StoredFields, WriteCommand } from './backend.js';
import type { Snapshot } from './snapshot.js';

export interface FieldChanges {
  /** The stored text of every field once saved: the snapshot the save leaves. */
  current: StoredFields;
  set: StoredFields;
  del: string[];
  /** The read value of every changed or deleted field, for compare-and-set. */
  expect: Array<[string, string | null]>;
}

/**
 * Only what this request changed: fields whose serialized value differs from what it read,
 * and deletions of fields it did read. A field it never read is never deleted, and a field it
 * did not change is never written — so concurrent requests on other fields both survive.
 */
export function diffFields(base: Snapshot, current: StoredFields): FieldChanges {
  const changes: FieldChanges = { current, set: {}, del: [], expect: [] };
  for (const [field, value] of Object.entries(current)) {
    const before = base.fields[field];
    if (before === value) continue;
    changes.set[field] = value;
    changes.expect.push([field, before ?? null]);
  }
  for (const [field, before] of Object.entries(base.fields)) {
    if (field in current) continue;
    changes.del.push(field);
    changes.expect.push([field, before]);
  }
  return changes;
}

export function hasNoChanges(changes: FieldChanges): boolean {
  return changes.del.length === 0 && Object.keys(changes.set).length === 0;
}

export function toWriteCommand(
  changes: FieldChanges,
  meta: [string, string],
  options: { mustExist: boolean; ttlMs: number; compareAndSet: boolean },
): WriteCommand {
  // The changes are this write's own: the meta field joins them in place, no copy.
  changes.set[meta[0]] = meta[1];
  return {
    set: changes.set,
    del: changes.del,
    expect: options.compareAndSet ? changes.expect : null,
    mustExist: options.mustExist,
    ttlMs: options.ttlMs,
  };
}
