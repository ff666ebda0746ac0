// Loaded only inside a vitest worker: importing vitest from a plain node process (a benchmark,
// or a child a test spawned, which inherits VITEST=true) throws.
const insideVitestWorker = '__vitest_worker__' in globalThis;
const vitest = insideVitestWorker ? await import('vitest') : undefined;

/** `describe`, skipped unless `available()` (which decides what a missing binary does). */
export function describeIf(
  helper: string,
  available: () => boolean,
  name: string,
  factory: () => void,
): void {
  if (!vitest) throw new Error(`${helper}() only works inside a vitest run`);
  vitest.describe.skipIf(!available())(name, factory);
}
