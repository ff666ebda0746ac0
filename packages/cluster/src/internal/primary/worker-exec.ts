import { existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkerExecMissingError } from '../../errors.js';

/**
 * The built worker bootstrap next to the running bundle: dist/worker-main.js for the ESM build,
 * dist/worker-main.cjs for the CJS one (tsup's shims give CJS an import.meta.url). Workers cannot
 * load TypeScript, so running from src/ is refused with a clear message.
 */
export function workerExecPath(moduleUrl: string = import.meta.url): string {
  const self = fileURLToPath(moduleUrl);
  const extension = extname(self) === '.cjs' ? '.cjs' : '.js';
  const path = join(dirname(self), `worker-main${extension}`);
  if (!existsSync(path)) throw new WorkerExecMissingError(path);
  return path;
}
