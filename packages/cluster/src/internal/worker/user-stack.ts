import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// This bundle's folder (dist/): frames from it are koa-fleet's, not the user's.
const OWN_DIR = dirname(fileURLToPath(import.meta.url));
const OWN_URL = pathToFileURL(OWN_DIR).href;

/**
 * The error's stack with only the user's frames: koa-fleet's own and Node's internals are dropped,
 * so a report points at the user's file:line. Undefined when no frame of the user's is left.
 */
export function userStack(error: unknown): string | undefined {
  const stack = error instanceof Error ? error.stack : undefined;
  if (!stack) return undefined;
  const lines = stack.split('\n');
  const firstFrame = lines.findIndex((line) => /^\s+at /.test(line));
  if (firstFrame < 0) return undefined;
  const frames = lines.slice(firstFrame).filter((line) => !isOwnOrInternal(line));
  if (frames.length === 0) return undefined;
  return [...lines.slice(0, firstFrame), ...frames].join('\n');
}

function isOwnOrInternal(frame: string): boolean {
  return (
    frame.includes('node:') ||
    frame.includes(`${OWN_DIR}/`) ||
    frame.includes(`${OWN_URL}/`) ||
    /^\s+at (async )?(new )?Promise\b|^\s+at <anonymous>$/.test(frame)
  );
}

/**
 * Where a SyntaxError that import() reported without a location is: an ESM parse error carries
 * no file:line (Node prints it only for an uncaught error). So the entry, and then the relative
 * modules it imports, are parsed again with `node --check`, which runs none of their code.
 * Undefined when every module found parses (the error is in a package it imports).
 */
export function syntaxErrorLocation(entry: string): string | undefined {
  const seen = new Set<string>();
  const queue = [resolve(entry)];
  while (queue.length > 0 && seen.size < MAX_MODULES_CHECKED) {
    const file = queue.shift()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const location = checkSyntax(file);
    if (location) return location;
    queue.push(...relativeImports(file).map((specifier) => resolve(dirname(file), specifier)));
  }
  return undefined;
}

/** Enough for an app's own modules; a bound, since every check is a process. */
const MAX_MODULES_CHECKED = 200;

function checkSyntax(file: string): string | undefined {
  const check = spawnSync(process.execPath, ['--check', file], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (check.status === 0) return undefined;
  const first = check.stderr.split('\n')[0]?.trim() ?? '';
  return /:\d+$/.test(first) ? first : undefined;
}

/** `./x.mjs` and `../y.js` named by static imports, re-exports and literal dynamic imports. */
function relativeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
  return [...source.matchAll(pattern)].map((match) => match[1]!);
}
