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

  it('installs the skeleton and matches its errors as every koa-fleet error', async () => {
    const folder = await exampleFolder();
    await folder.sh(readme.block('install'));
    folder.write('errors.mjs', readme.block('import'));
    const { stdout } = await folder.sh('node errors.mjs');
    expect(stdout).toBe('true\ntrue\n');
  });
});
