import { requireNginx } from './nginx-available.js';

// Loaded only inside vitest: importing vitest from a plain node process (benchmarks) throws.
const vitest = process.env.VITEST ? await import('vitest') : undefined;

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
