import type { AtomicCommand } from './backend.js';

/**
 * The in-memory twin of the Redis atomic script: computes a field's new serialized value, or
 * `undefined` when the current value has the wrong type. Pure, so one process applies it
 * between reads and writes with nothing interleaving.
 */
export function applyAtomic(
  current: string | undefined,
  command: AtomicCommand,
): string | undefined {
  if (command.kind === 'incr') {
    if (current !== undefined && !/^-?\d+$/.test(current)) return undefined;
    return String(BigInt(current ?? '0') + BigInt(command.value));
  }
  let items: unknown[] = [];
  if (current !== undefined) {
    const parsed = parseJson(current);
    if (!Array.isArray(parsed)) return undefined;
    items = parsed;
  }
  const item = JSON.parse(command.value) as unknown;
  if (command.kind === 'addToSet' && items.includes(item)) return current;
  // Appending to the stored text keeps the other items byte for byte, as the Lua script does.
  if (current === undefined || items.length === 0) return `[${command.value}]`;
  return `${current.slice(0, -1)},${command.value}]`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
