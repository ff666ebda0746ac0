import { pathToFileURL } from 'node:url';
import { isFleetError } from '@koa-fleet/errors';
import type { KoaLike } from '../../app-source.js';
import { isKoaLike } from '../../app-source.js';
import { EntryExportError, EntryLoadError } from '../../errors.js';
import type { WorkerContext } from '../../worker-context.js';
import { syntaxErrorLocation } from './user-stack.js';

/**
 * Imports the user's entry and returns its app. Import and shape errors are not retryable (the
 * same code fails the same way); a factory that throws may be waiting on a dependency, so it is.
 */
export async function loadEntry(entry: string, context: WorkerContext): Promise<KoaLike> {
  let exported: unknown;
  try {
    const mod = (await import(pathToFileURL(entry).href)) as { default?: unknown };
    // ESM default export, or module.exports of a CommonJS entry (which import() puts on default).
    exported = 'default' in mod ? mod.default : mod;
  } catch (error) {
    let reason = describeError(error);
    if (error instanceof SyntaxError && !firstLocation(error.stack)) {
      reason += ` (${syntaxErrorLocation(entry) ?? 'in a package the entry imports'})`;
    }
    const failure = new EntryLoadError(entry, reason, { cause: error });
    throw Object.assign(failure, { retryable: false });
  }
  return appFrom(exported, context, `entry ${entry}`);
}

/** The app an entry's export or startFleet({ app }) stands for; `label` names it in errors. */
export async function appFrom(
  exported: unknown,
  context: WorkerContext,
  label: string,
): Promise<KoaLike> {
  if (isKoaLike(exported)) return exported;
  if (typeof exported !== 'function') {
    throw Object.assign(new EntryExportError(label, describeValue(exported)), { retryable: false });
  }
  const app: unknown = await (exported as (ctx: WorkerContext) => unknown)(context);
  if (!isKoaLike(app)) {
    const got = `a factory returning ${describeValue(app)}`;
    throw Object.assign(new EntryExportError(label, got), { retryable: false });
  }
  return app;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    return keys.length ? `an object with keys ${keys.slice(0, 5).join(', ')}` : 'an empty object';
  }
  return typeof value;
}

export function describeError(error: unknown): string {
  if (isFleetError(error)) return error.message; // ours already say what and where
  if (error instanceof Error) {
    // A SyntaxError's first stack line names file:line — the one thing the user needs.
    const where = error instanceof SyntaxError ? firstLocation(error.stack) : '';
    return `${error.name}: ${error.message}${where ? ` (${where})` : ''}`;
  }
  return String(error);
}

function firstLocation(stack: string | undefined): string {
  const line = stack?.split('\n').find((l) => /:\d+/.test(l) && !l.includes('node:internal'));
  return line?.trim() ?? '';
}
