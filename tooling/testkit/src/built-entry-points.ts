import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface BuiltEntryPoints {
  esm: Record<string, unknown>;
  cjs: Record<string, unknown>;
}

interface ConditionTarget {
  types?: string;
  default?: string;
}

/**
 * Loads a package's built entry points exactly as its `exports` map names them (ESM through
 * `import`, CJS through `require`), after checking every file the map names exists. Tests use it
 * to prove the published artefacts — not the sources — expose the public API in both formats.
 */
export async function loadBuiltEntryPoints(packageDir: string): Promise<BuiltEntryPoints> {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    exports: Record<string, { import: ConditionTarget; require: ConditionTarget } | string>;
  };
  const root = manifest.exports['.'];
  if (!root || typeof root === 'string') throw new Error('exports["."] must have conditions');
  for (const target of [root.import, root.require]) {
    for (const file of [target.types, target.default]) {
      if (!file || !existsSync(join(packageDir, file))) {
        throw new Error(`${file ?? 'a condition'} named in exports is missing — run the build`);
      }
    }
  }
  const esm = (await import(pathToFileURL(join(packageDir, root.import.default!)).href)) as Record<
    string,
    unknown
  >;
  const cjs = createRequire(join(packageDir, 'package.json'))(
    join(packageDir, root.require.default!),
  ) as Record<string, unknown>;
  return { esm, cjs };
}

/** Public export names, without the module namespace's own bookkeeping. */
export function exportNames(module: Record<string, unknown>): string[] {
  return Object.keys(module)
    .filter((name) => name !== 'default' && name !== '__esModule' && name !== 'module.exports')
    .sort();
}

/**
 * Loads both built formats and checks they export the same names, including `expected`.
 * Returns the two modules so a test can exercise them further.
 */
export async function expectSameBuiltApi(
  packageDir: string,
  expected: readonly string[],
): Promise<BuiltEntryPoints> {
  const built = await loadBuiltEntryPoints(packageDir);
  const esmNames = exportNames(built.esm);
  const cjsNames = exportNames(built.cjs);
  if (esmNames.join() !== cjsNames.join()) {
    throw new Error(`ESM exports [${esmNames}] differ from CJS exports [${cjsNames}]`);
  }
  const missing = expected.filter((name) => !esmNames.includes(name));
  if (missing.length > 0) throw new Error(`built entry points do not export ${missing.join(', ')}`);
  return built;
}
