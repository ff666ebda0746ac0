import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
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
 * no file:line (Node prints it only for an uncaught error), so the entry is parsed again with
 * `node --check`, which runs none of its code. Undefined when the entry itself parses (the error
 * is then in a module it imports).
 */
export function syntaxErrorLocation(entry: string): string | undefined {
  const check = spawnSync(process.execPath, ['--check', entry], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (check.status === 0) return undefined;
  const first = check.stderr.split('\n')[0]?.trim() ?? '';
  return /:\d+$/.test(first) ? first : undefined;
}
