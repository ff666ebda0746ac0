import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deployPageSection } from './deploy-page.js';

/** Where the page's app is written: inside deploy/, so its imports resolve to deploy's packages. */
const scratch = fileURLToPath(new URL('../../.tmp/', import.meta.url));

export interface ExampleApp {
  /** Absolute path of app.mjs, as the page's `koa-fleet start ./app.mjs` names it. */
  entry: string;
  remove(): void;
}

/** The page's `app` block (its intro: the entry every recipe runs), written to a file. */
export function writeExampleApp(): ExampleApp {
  mkdirSync(scratch, { recursive: true });
  const dir = mkdtempSync(join(scratch, 'app-'));
  const entry = join(dir, 'app.mjs');
  writeFileSync(entry, deployPageSection('').block('app'));
  return { entry, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
