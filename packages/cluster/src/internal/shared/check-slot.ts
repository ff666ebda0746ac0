import { WorkerSlotError } from '../../errors.js';

/** `slot` as a slot index of a fleet of `slots` slots, or WorkerSlotError. */
export function checkSlot(slot: unknown, slots: number): number {
  if (typeof slot !== 'number' || !Number.isInteger(slot) || slot < 0 || slot >= slots) {
    throw new WorkerSlotError(slot, slots);
  }
  return slot;
}
