import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigFileError } from '../../errors.js';

/** Module configs imported so far (see below). */
let reads = 0;

/**
 * Reads `--config`: a `.json` file, or a module (`.mjs`, `.js`, `.cjs`) whose default export is
 * the config (or a promise of it), for configs that compute their backends. The content is
 * checked afterwards by the same resolveOptions as the API's.
 */
export async function readConfigFile(file: string): Promise<unknown> {
  const path = resolve(file);
  const extension = extname(path);
  if (extension === '.json') {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new ConfigFileError(file, reasonOf(error), { cause: error });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new ConfigFileError(file, `not valid JSON (${(error as Error).message})`, {
        cause: error,
      });
    }
  }
  if (!['.mjs', '.js', '.cjs'].includes(extension)) {
    throw new ConfigFileError(file, 'must end in .json, .mjs, .js or .cjs');
  }
  let module: { default?: unknown };
  // import() keeps a module once loaded: a reload imports it under a URL of its own, to run it
  // afresh (each read stays in memory; reloads are rare).
  const href = pathToFileURL(path).href + (reads > 0 ? `?reload=${reads}` : '');
  reads++;
  // A CommonJS module is kept by require's cache, whatever the URL's query says.
  delete createRequire(import.meta.url).cache[path];
  try {
    module = (await import(href)) as { default?: unknown };
  } catch (error) {
    throw new ConfigFileError(file, reasonOf(error), { cause: error });
  }
  if (module.default === undefined) {
    throw new ConfigFileError(file, 'has no default export (export default { backends: […] })');
  }
  return await module.default;
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ERR_MODULE_NOT_FOUND') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
