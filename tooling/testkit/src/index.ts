export { expectSameBuiltApi, exportNames, loadBuiltEntryPoints } from './built-entry-points.js';
export type { BuiltEntryPoints } from './built-entry-points.js';
