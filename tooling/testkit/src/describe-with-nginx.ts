import { requireNginx } from './nginx-available.js';

// Loaded only inside a vitest worker: importing vitest from a plain node process (a benchmark,
// or a child a test spawned, which inherits VITEST=true) throws.
const insideVitestWorker = '__vitest_worker__' in globalThis;
const vitest = insideVitestWorker ? await import('vitest') : undefined;

/**
 * `describe` for suites that need nginx: skipped when nginx is missing, but failing at
 * collection under `CI=true`.
 *
 * describeWithNginx('behind nginx', () => { it(...) })
 */
export function describeWithNginx(name: string, factory: () => void): void {
  if (!vitest) throw new Error('describeWithNginx() only works inside a vitest run');
  vitest.describe.skipIf(!requireNginx())(name, factory);
}
