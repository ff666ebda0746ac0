import { exampleFolder, readReadme, stopAll } from '@koa-fleet/testkit';
import { afterAll, describe, expect, it } from 'vitest';

const readme = readReadme(new URL('../README.md', import.meta.url));

describe('README examples, run from the packed tarball in a fresh npm folder', () => {
  afterAll(async () => {
    await stopAll();
    readme.expectEveryBlockUsed();
  });

  it('links to files by absolute URL (npm shows the README without the repository)', () => {
    expect(readme.relativeLinks).toEqual([]);
  });

  it('installs and runs the option-guard example, printing what its comments say', async () => {
    const folder = await exampleFolder();
    await folder.sh(readme.block('install'));
    folder.write('pool.mjs', readme.block('pool'));
    const { stdout } = await folder.sh('node pool.mjs');
    expect(stdout).toBe('true KF_INVALID_OPTION\noption "size" must be an integer ≥ 1, got 0\n');
  });
});
