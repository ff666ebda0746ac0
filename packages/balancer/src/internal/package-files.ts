import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The package's own directory, found by its name (Node resolves a package's own name from its
 * files) rather than by a path relative to this file, which differs between `src/` and the
 * bundles in `dist/`.
 */
export const PACKAGE_ROOT = dirname(
  createRequire(import.meta.url).resolve('@koa-fleet/balancer/package.json'),
);

/** `@koa-fleet/balancer`'s version, from its package.json. */
export const PACKAGE_VERSION = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
