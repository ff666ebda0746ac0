import { readReadme, type Readme } from './readme.js';
import { stopAll } from './internal/registry.js';

// Loaded only inside a vitest worker, as in describe-with-nginx.ts.
const insideVitestWorker = '__vitest_worker__' in globalThis;
const vitest = insideVitestWorker ? await import('vitest') : undefined;

/**
 * The suite every package's `test/readme.test.ts` is: `body` runs the README's blocks; afterwards
 * everything the kit started is stopped and each block must have been asked for; and the README
 * links to files by absolute URL, since npm shows it without the repository around it.
 */
export function describePackageReadme(readmeUrl: URL, body: (readme: Readme) => void): void {
  if (!vitest) throw new Error('describePackageReadme() only works inside a vitest run');
  const { afterAll, describe, expect, it } = vitest;
  const readme = readReadme(readmeUrl);
  describe('README examples, run from the packed tarballs in fresh npm folders', () => {
    afterAll(async () => {
      await stopAll();
      readme.expectEveryBlockUsed();
    });
    it('links to files by absolute URL (npm shows the README without the repository)', () => {
      expect(readme.relativeLinks).toEqual([]);
    });
    body(readme);
  });
}
