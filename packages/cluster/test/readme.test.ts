import {
  describeWithNginx,
  exampleFolder,
  httpRequest,
  describePackageReadme,
  startNginx,
  stopAll,
  type ExampleFolder,
} from '@koa-fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, freePortRange } from './helpers/ports.js';

/** The block's commands, one per line, without comment lines. */
function commands(block: string): string[] {
  return block
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

describePackageReadme(new URL('../README.md', import.meta.url), (readme) => {
  describe('in one folder', () => {
    let folder: ExampleFolder;

    beforeAll(async () => {
      folder = await exampleFolder();
      await folder.sh(readme.block('install'));
      folder.write('app.mjs', readme.block('app'));
    }, 300_000);
    afterAll(stopAll);

    it('primary.mjs serves app.mjs from every worker', async () => {
      const port = String(await freePort());
      folder.write('primary.mjs', readme.block('primary'), { replace: { '3000': port } });
      const primary = await folder.start('node primary.mjs', { readyLine: /workers ready/ });
      const reply = await httpRequest(`http://127.0.0.1:${port}/`);
      expect(reply.json()).toMatchObject({ generation: 1 });
      await primary.stop();
    });

    it('the one-file form serves its inline app', async () => {
      const port = String(await freePort());
      folder.write('server.mjs', readme.block('one-file'), { replace: { '3000': port } });
      const server = await folder.start('node server.mjs', { readyLine: /fleet ready/ });
      expect((await httpRequest(`http://127.0.0.1:${port}/`)).body).toMatch(
        /^hello from worker \d+$/,
      );
      await server.stop();
    });

    it('the CLI starts, reloads and stops a fleet by its pid file', async () => {
      const port = String(await freePort());
      const [start, reload, stop] = commands(readme.block('cli'));
      const fleet = await folder.start(start!, {
        replace: { '3000': port },
        readyLine: /fleet ready/,
      });
      expect((await httpRequest(`http://127.0.0.1:${port}/`)).json()).toMatchObject({
        generation: 1,
      });
      expect((await folder.sh(reload!)).stdout).toMatch(/reloaded primary \d+/);
      expect((await httpRequest(`http://127.0.0.1:${port}/`)).json()).toMatchObject({
        generation: 2,
      });
      expect((await folder.sh(stop!)).stdout).toMatch(/stopped primary \d+/);
      expect(await fleet.waitForExit()).toEqual({ code: 0, signal: null });
    });

    it('follow.mjs follows the fleet started with --pid-file: its ports, the drains of a reload, the end of the stream', async () => {
      const first = await freePortRange(2);
      const [start, reload, stop] = commands(readme.block('follow-start'));
      const fleet = await folder.start(start!, {
        replace: { '3001': String(first) },
        readyLine: /fleet ready/,
      });
      folder.write('follow.mjs', readme.block('follow'));
      const follower = await folder.start('node follow.mjs', { readyLine: /following 2 workers/ });
      expect(follower.output()).toContain(
        `following 2 workers on ports ${first}, ${first + 1} (ready)`,
      );
      await folder.sh(reload!);
      // The reload announced both workers' drains, slot 0's first.
      await follower.waitForLine(
        new RegExp(`worker \\d+ on ${first} drains[\\s\\S]*worker \\d+ on ${first + 1} drains`),
      );
      await folder.sh(stop!);
      await follower.waitForLine(/subscription ended: the primary ended the subscription/);
      expect(await fleet.waitForExit()).toEqual({ code: 0, signal: null });
      expect(await follower.waitForExit()).toEqual({ code: 0, signal: null });
    });

    it('the IPC example counts visits in the primary for the whole fleet', async () => {
      const port = String(await freePort());
      folder.write('counter-app.mjs', readme.block('ipc-app'));
      folder.write('counter.mjs', readme.block('ipc-primary'), { replace: { '3000': port } });
      const primary = await folder.start('node counter.mjs', { readyLine: /workers answered/ });
      expect(primary.output()).toMatch(/(\d+) workers answered/);
      const first = (await httpRequest(`http://127.0.0.1:${port}/a`)).json();
      const second = (await httpRequest(`http://127.0.0.1:${port}/a`)).json();
      expect(first).toMatchObject({ greeting: 'hi', visits: 1 });
      expect(second).toMatchObject({ greeting: 'hi', visits: 2 });
      await primary.stop();
    });

    it('the IPC example type-checks as it is (payloads are unknown until checked)', async () => {
      folder.write('counter-app.mjs', readme.block('ipc-app'));
      folder.write('counter.mjs', readme.block('ipc-primary'));
      await folder.sh('npm install typescript@~5.9.3 @types/koa @types/node');
      await folder.sh(
        'npx tsc --checkJs --allowJs --strict --noEmit --module nodenext --target es2022 counter-app.mjs counter.mjs',
      );
    });
  });

  describeWithNginx('behind nginx', () => {
    it("serves through the README's weighted upstream, every slot on its own port", async () => {
      const folder = await exampleFolder();
      await folder.sh(readme.block('install'));
      folder.write('app.mjs', readme.block('app'));
      const first = await freePortRange(3);
      const listen = await freePort();
      const ports = { '3001': String(first), '3002': String(first + 1), '3003': String(first + 2) };
      await folder.start(readme.block('nginx-start'), {
        replace: { '3001': ports['3001'] },
        readyLine: /fleet ready/,
      });
      const nginx = await startNginx(
        readme
          .block('nginx-conf')
          .replaceAll('3001', ports['3001'])
          .replaceAll('3002', ports['3002'])
          .replaceAll('3003', ports['3003'])
          .replace('listen 8080', `listen 127.0.0.1:${listen}`),
      );
      const workers = new Map<number, number>();
      for (let i = 0; i < 60; i++) {
        const { worker } = (await httpRequest(nginx.url)).json<{ worker: number }>();
        workers.set(worker, (workers.get(worker) ?? 0) + 1);
      }
      // Weights 3:2:1 over 60 requests (smooth weighted round robin is exact per cycle).
      expect(Object.fromEntries(workers)).toEqual({ 0: 30, 1: 20, 2: 10 });
      await nginx.stop();
      await stopAll();
    });
  });
});
