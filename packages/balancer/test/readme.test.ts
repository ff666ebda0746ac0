import { describePackageReadme, exampleFolder } from '@koa-fleet/testkit';
import { expect, it } from 'vitest';

describePackageReadme(new URL('../README.md', import.meta.url), (readme) => {
  it('installs the skeleton and matches its errors as every koa-fleet error', async () => {
    const folder = await exampleFolder();
    await folder.sh(readme.block('install'));
    folder.write('errors.mjs', readme.block('import'));
    const { stdout } = await folder.sh('node errors.mjs');
    expect(stdout).toBe('true\ntrue\n');
  });
});
