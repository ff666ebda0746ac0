import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** `--import` value that lets a child process run the TypeScript fixtures (tsx ships with vitest). */
const fromVitest = createRequire(createRequire(import.meta.url).resolve('vitest/package.json'));
export const tsxLoader = pathToFileURL(
  join(dirname(fromVitest.resolve('tsx/package.json')), 'dist/loader.mjs'),
).href;
