import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { packedTarballs } from '@koa-fleet/testkit';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

// A strict TypeScript app as a new user sets it up: the packed tarballs from npm (no workspace
// links), Koa with its types, and none of the optional peers (ioredis, prom-client,
// koa-session). The published types must compile as they are: no skipLibCheck.
const ESM_APP = `import Koa from 'koa';
import { memoryStore, session, type Session } from '@koa-fleet/session';

const app = new Koa();
app.keys = ['change-me'];
app.use(session(app, { store: memoryStore(), maxAge: '1d' }));
app.use((ctx) => {
  const current: Session | null = ctx.session;
  if (!current) return;
  const visits = typeof current.visits === 'number' ? current.visits + 1 : 1;
  current.visits = visits;
  // @ts-expect-error ctx.session is a Session (or null), not any
  const wrong: string = ctx.session;
  ctx.body = { visits, isNew: current.isNew, wrong };
});
app.listen(3000);
`;

const CJS_APP = `import Koa = require('koa');
import fleet = require('@koa-fleet/session');

const app = new Koa();
app.keys = ['change-me'];
app.use(fleet.session(app, { store: fleet.memoryStore({ ttl: '1h' }) }));
app.use((ctx) => {
  // @ts-expect-error ctx.session is a Session (or null), not any
  const wrong: number = ctx.session;
  ctx.body = { isNew: ctx.session?.isNew, wrong };
});
`;

describe('the published types', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('compile under tsc --strict without skipLibCheck and without the optional peers', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kf-session-types-'));
    // The session package and the koa-fleet packages it depends on, as npm would fetch them.
    const tarballs = await packedTarballs(['@koa-fleet/session']);
    expect(tarballs.map((file) => basename(file)).sort()).toEqual([
      'koa-fleet-contracts-0.0.0.tgz',
      'koa-fleet-errors-0.0.0.tgz',
      'koa-fleet-session-0.0.0.tgz',
    ]);
    await writeFile(join(dir, 'package.json'), '{ "name": "app", "private": true }\n');
    await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        ...tarballs,
        'koa',
        '@types/koa',
        '@types/node',
        'typescript@~5.9.3', // the workspace's TypeScript: repeatable, whatever npm's latest is
      ],
      { cwd: dir, timeout: 180_000 },
    );
    for (const peer of ['ioredis', 'prom-client', 'koa-session']) {
      expect(existsSync(join(dir, 'node_modules', peer)), peer).toBe(false);
    }
    await writeFile(join(dir, 'app.ts'), ESM_APP);
    await writeFile(join(dir, 'app.mts'), ESM_APP);
    await writeFile(join(dir, 'app.cts'), CJS_APP);
    const tsc = join(dir, 'node_modules', '.bin', 'tsc');
    const compile = (args: string[]) =>
      run(tsc, args, { cwd: dir }).catch((error: { stdout?: string; message: string }) => {
        throw new Error(`tsc ${args.join(' ')} failed:\n${error.stdout ?? error.message}`);
      });
    // The classic resolution (module commonjs, the `types` field), as a tsconfig of a Node 20
    // project sets it; then Node's own resolution of both entry points.
    const node20 = ['--strict', '--noEmit', '--target', 'es2022'];
    await compile([...node20, '--module', 'commonjs', '--esModuleInterop', 'app.ts']);
    await compile([...node20, '--module', 'nodenext', 'app.mts', 'app.cts']);
  }, 240_000);
});
