import { describePackageReadme, exampleFolder } from '@koa-fleet/testkit';
import { expect, it } from 'vitest';

describePackageReadme(new URL('../README.md', import.meta.url), (readme) => {
  it('installs and runs the option-guard example, printing what its comments say', async () => {
    const folder = await exampleFolder();
    await folder.sh(readme.block('install'));
    folder.write('pool.mjs', readme.block('pool'));
    const { stdout } = await folder.sh('node pool.mjs');
    expect(stdout).toBe('true KF_INVALID_OPTION\noption "size" must be an integer ≥ 1, got 0\n');
  });
});
