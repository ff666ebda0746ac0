import { setTimeout as delay } from 'node:timers/promises';
import {
  exampleFolder,
  freePort,
  httpRequest,
  describePackageReadme,
  startRedis,
  type ExampleFolder,
  type RedisServer,
} from '@koa-fleet/testkit';
import { beforeAll, describe, expect, it } from 'vitest';

/** A browser's cookie handling, enough for one session. */
class Visitor {
  #cookies = new Map<string, string>();
  constructor(readonly base: string) {}
  async get<T = Record<string, unknown>>(path: string): Promise<{ status: number; body: T }> {
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const reply = await httpRequest(`${this.base}${path}`, { headers: cookie ? { cookie } : {} });
    for (const line of reply.setCookies) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      this.#cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return { status: reply.status, body: reply.json<T>() };
  }
}

/** The file a diff block leaves: its context lines with the added (or the removed) ones. */
function sideOfDiff(diff: string, side: '+' | '-'): string {
  return diff
    .split('\n')
    .filter((line) => line.startsWith(' ') || line.startsWith(side) || line === '')
    .map((line) => line.slice(1))
    .join('\n');
}

describePackageReadme(new URL('../README.md', import.meta.url), (readme) => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await startRedis();
  });

  describe('with Redis', () => {
    let folder: ExampleFolder;
    beforeAll(async () => {
      folder = await exampleFolder();
      await folder.sh(readme.block('install'));
    }, 300_000);

    it('server.mjs: logs in, counts visits atomically, logs out', async () => {
      const port = String(await freePort());
      folder.write('server.mjs', readme.block('server'), { replace: { '3000': port } });
      await folder.start('node server.mjs', {
        env: { REDIS_URL: redis.url },
        readyLine: /listening/,
      });
      const visitor = new Visitor(`http://127.0.0.1:${port}`);
      expect((await visitor.get('/')).body).toEqual({ user: null, visits: 1 });
      expect((await visitor.get('/login')).body).toEqual({ user: { name: 'ada' }, visits: 2 });
      expect((await visitor.get('/')).body).toEqual({ user: { name: 'ada' }, visits: 3 });
      expect((await visitor.get('/logout')).body).toEqual({ ok: true });
      expect((await visitor.get('/')).body).toEqual({ user: null, visits: 1 });
    });

    it('health.mjs: /readyz follows Redis', async () => {
      await folder.sh('npm install @koa-fleet/health');
      const ownRedis = await startRedis(); // this test kills it
      const port = String(await freePort());
      folder.write('health.mjs', readme.block('health'), { replace: { '3000': port } });
      await folder.start('node health.mjs', {
        env: { REDIS_URL: ownRedis.url },
        readyLine: /listening/,
      });
      const readyz = () => httpRequest(`http://127.0.0.1:${port}/readyz`);
      // The client connects in the background; until then readiness is rightly red.
      while ((await readyz()).status !== 200) await delay(100);
      await ownRedis.kill();
      while ((await readyz()).status !== 503) await delay(100); // results live checkInterval
      await ownRedis.restart();
      while ((await readyz()).status !== 200) await delay(100);
    });

    it('the migration: the same routes run on koa-redis before and on this store after', async () => {
      await folder.sh('npm install koa-session koa-redis');
      for (const [file, side] of [
        ['before.mjs', '-'],
        ['after.mjs', '+'],
      ] as const) {
        const port = String(await freePort());
        folder.write(file, sideOfDiff(readme.block('migrate'), side), {
          replace: { '3000': port },
        });
        const server = await folder.start(`node ${file}`, {
          env: { REDIS_URL: redis.url },
          readyLine: /listening/,
        });
        const visitor = new Visitor(`http://127.0.0.1:${port}`);
        for (let views = 1; views <= 3; views++) {
          const reply = await visitor.get('/').catch((error: Error) => {
            throw new Error(`${file}: ${error.message}\n${server.output()}`);
          });
          expect(reply.body).toEqual({ views });
        }
        await server.stop();
      }
    });
  });

  it('single.mjs: sessions in memory', async () => {
    const folder = await exampleFolder();
    await folder.sh(readme.block('single-install'));
    const port = String(await freePort());
    folder.write('single.mjs', readme.block('single'), { replace: { '3000': port } });
    await folder.start('node single.mjs', { readyLine: /listening/ });
    const visitor = new Visitor(`http://127.0.0.1:${port}`);
    for (let views = 1; views <= 3; views++) {
      expect((await visitor.get('/')).body).toEqual({ views });
    }
  });

  it('the embedded store: one session across the workers of a fleet', async () => {
    const folder = await exampleFolder();
    await folder.sh(readme.block('fleet-install'));
    const port = String(await freePort());
    folder.write('primary.mjs', readme.block('fleet-primary'), { replace: { '3000': port } });
    folder.write('app.mjs', readme.block('fleet-app'));
    await folder.start('node primary.mjs', { readyLine: /fleet ready/ });
    const visitor = new Visitor(`http://127.0.0.1:${port}`);
    const workers = new Set<number>();
    for (let views = 1; views <= 8; views++) {
      const { body } = await visitor.get<{ views: number; worker: number }>('/');
      expect(body.views).toBe(views);
      workers.add(body.worker);
    }
    expect(workers.size).toBeGreaterThan(1);
  });
});
