import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixture } from './fleet.js';

// Under node_modules: inside the package so `koa` resolves, outside lint, format and git.
const tmpRoot = fileURLToPath(
  new URL('../../node_modules/.cache/koa-fleet-test/', import.meta.url),
);

/**
 * Writes versioned-app.mjs with `version` into a fresh folder under node_modules/.cache (inside the
 * package, so `koa` resolves) and returns its path; call again with the path to "deploy".
 */
export function writeVersionedEntry(version: string, path?: string): string {
  const target = path ?? join(tmpRoot, randomUUID(), 'app.mjs');
  mkdirSync(join(target, '..'), { recursive: true });
  const source = readFileSync(fixture('versioned-app.mjs'), 'utf8').replace(
    "'VERSION'",
    JSON.stringify(version),
  );
  writeFileSync(target, source);
  return target;
}

/** Replaces the entry with broken code (a bad deploy). */
export function breakEntry(path: string): void {
  writeFileSync(path, 'export default function (\n');
}
