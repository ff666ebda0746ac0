import {
  describePackageReadme,
  exampleFolder,
  freePort,
  httpRequest,
  stopAll,
} from '@koa-fleet/testkit';
import { afterAll, expect, it } from 'vitest';

describePackageReadme(new URL('../README.md', import.meta.url), (readme) => {
  afterAll(stopAll);

  it('the plugin typed against the contracts shares one counter across the workers', async () => {
    const folder = await exampleFolder();
    await folder.sh(readme.block('install'));
    folder.write('visits-plugin.mjs', readme.block('plugin'));
    folder.write('app.mjs', readme.block('app'));
    const port = String(await freePort());
    folder.write('primary.mjs', readme.block('primary'), { replace: { '3000': port } });
    const primary = await folder.start('node primary.mjs', { readyLine: /workers ready/ });
    const replies = [];
    for (let i = 0; i < 4; i++)
      replies.push((await httpRequest(`http://127.0.0.1:${port}/`)).json());
    expect(replies.map((reply) => (reply as { visits: number }).visits)).toEqual([1, 2, 3, 4]);
    await primary.stop();

    // The JSDoc types are the contracts' own: the example type-checks in strict mode.
    await folder.sh('npm install typescript@~5.9.3 @types/koa @types/node');
    await folder.sh(
      'npx tsc --checkJs --allowJs --strict --noEmit --module nodenext --target es2022 visits-plugin.mjs app.mjs primary.mjs',
    );
  });
});
