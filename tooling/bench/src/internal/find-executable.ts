import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

// Debian puts nginx and haproxy in sbin dirs, which a non-root PATH often lacks.
const SBIN_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

/** Absolute path of an executable on `path` (or in an sbin dir), or undefined. */
export function findExecutable(binary: string, path = process.env.PATH ?? ''): string | undefined {
  const dirs = [...path.split(delimiter), ...SBIN_DIRS].filter(Boolean);
  for (const dir of dirs) {
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; look in the next dir
    }
  }
  return undefined;
}
