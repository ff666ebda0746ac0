import {
  describePackageReadme,
  exampleFolder,
  type ExampleFolder,
  freePort,
  httpRequest,
  mismatchWithSample,
  type NodeProcess,
  requireHaproxy,
  requireNginx,
  startHaproxy,
  startNginx,
  waitFor,
} from '@koa-fleet/testkit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { portPair } from './support/port-pair.js';
import { httpsRequest } from './support/certificates.js';
import { haproxyAccepts } from './support/engine-check.js';

/** A README sample with the ports the test used in place of the README's. */
function withPorts(sample: string, ports: Record<string, string>): string {
  let text = sample;
  for (const [from, to] of Object.entries(ports)) text = text.replaceAll(from, to);
  return text;
}

async function backendsOf(url: string, count: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++)
    seen.push((await httpRequest(url)).json<{ backend: number }>().backend);
  return seen;
}

describePackageReadme(new URL('../README.md', import.meta.url), (readme) => {
  describe('in one folder', () => {
    let folder: ExampleFolder;
    let ports: Record<'3001' | '3002' | '8080', string>;
    let backends: NodeProcess[];

    beforeAll(async () => {
      folder = await exampleFolder();
      await folder.sh(readme.block('install'));
      folder.write('app.mjs', readme.block('app'));
    }, 300_000);

    async function startBackends(): Promise<void> {
      const [first, second] = [await freePort(), await freePort()];
      ports = { '3001': String(first), '3002': String(second), '8080': String(await freePort()) };
      backends = await Promise.all(
        [first, second].map((port) =>
          folder.start(`node app.mjs ${port}`, { readyLine: /backend listening/ }),
        ),
      );
    }

    it('balancer.mjs sends 3 of 4 requests to the first backend and retries past a stopped one', async () => {
      await startBackends();
      folder.write('balancer.mjs', readme.block('balancer'), { replace: ports });
      const balancer = await folder.start('node balancer.mjs', { readyLine: /balancing on/ });
      const url = `http://127.0.0.1:${ports['8080']}/`;
      const [a, b] = [Number(ports['3001']), Number(ports['3002'])];
      expect(await backendsOf(url, 8)).toEqual([a, a, b, a, a, a, b, a]);
      expect((await httpRequest(url)).json()).toMatchObject({ client: '127.0.0.1' });
      await backends[1]!.stop();
      expect(await backendsOf(url, 4)).toEqual([a, a, a, a]);
      await balancer.waitForLine(`http://127.0.0.1:${ports['3002']} is down`);
      expect(balancer.output()).toContain('KF_BALANCER_UPSTREAM_REFUSED { retried: true }');
      balancer.kill('SIGINT');
      expect(await balancer.waitForExit()).toEqual({ code: 0, signal: null });
      await backends[0]!.stop();
    });

    it('the CLI balances the --backend flags by weight', async () => {
      await startBackends();
      const cli = await folder.start(readme.block('cli'), {
        replace: ports,
        readyLine: /balancing 2 backends/,
      });
      const [a, b] = [Number(ports['3001']), Number(ports['3002'])];
      expect(await backendsOf(`http://127.0.0.1:${ports['8080']}/`, 4)).toEqual([a, a, b, a]);
      await cli.stop();
      await Promise.all(backends.map((backend) => backend.stop()));
    });

    it('the config file keeps the backup for when the primary is down, and logs each response', async () => {
      await startBackends();
      folder.write('balancer.json', readme.block('config'), { replace: ports });
      const cli = await folder.start(readme.block('config-run'), { readyLine: /balancing/ });
      const url = `http://127.0.0.1:${ports['8080']}/`;
      const [primary, backup] = [Number(ports['3001']), Number(ports['3002'])];
      expect(await backendsOf(url, 3)).toEqual([primary, primary, primary]);
      await backends[0]!.stop();
      // maxFails 3: its failures are retried on the backup until it is taken out.
      expect(await backendsOf(url, 4)).toEqual([backup, backup, backup, backup]);
      await cli.waitForLine(/"msg":"request"/);
      await cli.stop();
      await backends[1]!.stop();
    });

    it('--workers 2 balances from two processes', async () => {
      await startBackends();
      const cli = await folder.start(readme.block('workers'), {
        replace: ports,
        readyLine: /balancing 2 backends on .* with 2 workers/,
      });
      const [a, b] = [Number(ports['3001']), Number(ports['3002'])];
      expect(new Set(await backendsOf(`http://127.0.0.1:${ports['8080']}/`, 4))).toEqual(
        new Set([a, b]),
      );
      await cli.stop();
      await Promise.all(backends.map((backend) => backend.stop()));
    });

    it('live.mjs adds a backend, removes one once its requests are done, and counts them', async () => {
      await startBackends();
      folder.write('live.mjs', readme.block('live'), { replace: ports });
      const { stdout } = await folder.sh('node live.mjs');
      const [a, b] = [ports['3001'], ports['3002']];
      expect(stdout.trim().split('\n')).toEqual([
        `${a} ${a} ${a} ${a}`,
        `${b} ${a} ${b} ${b}`,
        `${a} answered 5 requests`,
        `${b} ${b} ${b} ${b}`,
        `http://127.0.0.1:${b} up 3 7`,
      ]);
      await Promise.all(backends.map((backend) => backend.stop()));
    });

    it('the admin API changes the backends of a running CLI over curl, and streams the changes', async () => {
      await startBackends();
      const adminPort = String(await freePort());
      const cli = await folder.start(readme.block('admin-cli'), {
        replace: { '3001': ports['3001'], '8080': ports['8080'], '9090': adminPort },
        readyLine: /admin API on/,
      });
      const events = await folder.start(readme.block('admin-events'), {
        replace: { '9090': adminPort },
        readyLine: /event: stats/,
      });
      const replace = { '3001': ports['3001'], '3002': ports['3002'], '9090': adminPort };
      const info = await folder.sh(readme.block('admin-info'), { replace: { '9090': adminPort } });
      expect(
        mismatchWithSample(
          info.stdout,
          withPorts(readme.block('admin-info-output'), { '8080': ports['8080'] }),
        ),
      ).toBeUndefined();
      // The dashboard's files come with the package.
      const script = await httpRequest(`http://127.0.0.1:${adminPort}/dashboard.js`);
      expect([script.status, script.body.length > 1_000]).toEqual([200, true]);
      const { stdout } = await folder.sh(readme.block('admin-curl'), { replace });
      expect(
        mismatchWithSample(stdout, withPorts(readme.block('admin-curl-output'), replace)),
      ).toBeUndefined();
      // 3001 is gone: every request goes to 3002.
      const b = Number(ports['3002']);
      expect(await backendsOf(`http://127.0.0.1:${ports['8080']}/`, 3)).toEqual([b, b, b]);
      await events.waitForLine(/event: backend-removed/);
      expect(
        mismatchWithSample(
          events.stdout(),
          withPorts(readme.block('admin-events-output'), replace),
        ),
      ).toBeUndefined();
      await events.stop();
      await cli.stop();
      await Promise.all(backends.map((backend) => backend.stop()));
    });

    it('the reload example adds 3002 from the rewritten file over POST /api/v1/reload', async () => {
      await startBackends();
      const replace = { ...ports, '9090': String(await freePort()) };
      const { '3002': _added, ...before } = replace; // not in the file yet
      folder.write('reload.json', readme.block('reload-config'), { replace: before });
      const cli = await folder.start(readme.block('reload-run'), { readyLine: /admin API on/ });
      const [a, b] = [Number(ports['3001']), Number(ports['3002'])];
      const url = `http://127.0.0.1:${ports['8080']}/`;
      expect(await backendsOf(url, 2)).toEqual([a, a]);
      const { stdout } = await folder.sh(readme.block('reload-curl'), { replace });
      expect(
        mismatchWithSample(stdout, withPorts(readme.block('reload-curl-output'), replace)),
      ).toBeUndefined();
      // 3002 weighs 3: 3 of every 4 requests.
      const after = await backendsOf(url, 8);
      expect(after.filter((port) => port === b)).toHaveLength(6);
      expect(after.filter((port) => port === a)).toHaveLength(2);
      await cli.stop();
      await Promise.all(backends.map((backend) => backend.stop()));
    });

    it('the TLS example makes a certificate, serves HTTPS with it and redirects plain HTTP', async () => {
      await startBackends();
      const replace = {
        '3001': ports['3001'],
        '8443': String(await freePort()),
        '8080': String(await freePort()),
      };
      const cli = await folder.start(readme.block('tls'), {
        replace,
        readyLine: /balancing 1 backend on https:/,
      });
      const pem = readFileSync(join(folder.dir, 'cert.pem'));
      const reply = await httpsRequest(`https://127.0.0.1:${replace['8443']}/`, pem);
      expect(JSON.parse(reply.body)).toMatchObject({ backend: Number(ports['3001']) });
      const redirect = await httpRequest(`http://127.0.0.1:${replace['8080']}/a`);
      expect(redirect.headers.location).toBe(`https://127.0.0.1:${replace['8443']}/a`);
      await cli.stop();
      await Promise.all(backends.map((backend) => backend.stop()));
    });

    it('export nginx prints the upstream and server the sample shows', async () => {
      const { stdout } = await folder.sh(readme.block('export-snippet'));
      expect(mismatchWithSample(stdout, readme.block('export-snippet-output'))).toBeUndefined();
    });

    it('the --full exports pass nginx -t and haproxy -c, and both engines run them 3:1', async (ctx) => {
      requireNginx(ctx);
      requireHaproxy(ctx);
      await startBackends();
      await folder.sh(readme.block('export-full'), { replace: ports });
      const [a, b] = [Number(ports['3001']), Number(ports['3002'])];
      // Both files listen on the same port: one engine after the other.
      const file = (name: string) => readFileSync(join(folder.dir, name), 'utf8');
      for (const start of [
        () => startNginx(file('nginx.conf'), { wholeFile: true }),
        () => startHaproxy(file('haproxy.cfg')),
      ]) {
        const engine = await start();
        expect(engine.port).toBe(Number(ports['8080']));
        const seen = await backendsOf(`${engine.url}/`, 40);
        const count = (port: number) => seen.filter((backend) => backend === port).length;
        expect([count(a), count(b)]).toEqual([30, 10]);
        await engine.stop();
      }
      await Promise.all(backends.map((backend) => backend.stop()));
    });

    it('exportHaproxyConfig() from code writes a haproxy.cfg HAProxy accepts', async (ctx) => {
      requireHaproxy(ctx);
      folder.write('export.mjs', readme.block('export-api'));
      const { stdout } = await folder.sh('node export.mjs');
      const lines = stdout.split('\n');
      expect(lines).toEqual(
        expect.arrayContaining(['frontend shop', 'backend shop', '    bind :8080']),
      );
      expect(lines.find((line) => line.startsWith('    server 127.0.0.1:3001 '))).toContain(
        ' weight 3 maxconn 200 check inter 2s rise 2 fall 3 ',
      );
      const verdict = await haproxyAccepts(stdout, { full: true });
      expect(verdict.ok, verdict.output).toBe(true);
    });

    it('a koa-fleet fleet on per-worker ports is balanced over its workers', async () => {
      const [first, second] = await portPair();
      const replace = {
        '3001': String(first),
        '3002': String(second),
        '8080': String(await freePort()),
      };
      folder.write('fleet-app.mjs', readme.block('fleet-app'));
      const both = await folder.start(readme.block('fleet'), { replace, readyLine: /balancing/ });
      const url = `http://127.0.0.1:${replace['8080']}/`;
      await waitFor(
        'both workers answering',
        async () => {
          const seen = await backendsOf(url, 2).catch(() => []);
          return new Set(seen).size === 2;
        },
        120_000,
      );
      expect(new Set(await backendsOf(url, 4))).toEqual(new Set([first, second]));
      await both.stop();
    });

    it('a fleet followed through its pid file: the CLI and the API balance its workers, and the admin API restarts one', async () => {
      const [first, second] = await portPair();
      // Not yet bound when the others are picked: a free port could be one of the fleet's.
      const besidesFleet = async () => {
        for (;;) {
          const port = await freePort();
          if (port !== first && port !== second) return port;
        }
      };
      const replace = {
        '3001': String(first),
        '8080': String(await besidesFleet()),
        '9090': String(await besidesFleet()),
      };
      folder.write('fleet-app.mjs', readme.block('fleet-app'));
      const fleet = await folder.start(readme.block('follow-fleet'), {
        replace: { '3001': replace['3001'] },
        readyLine: /fleet ready/,
      });
      const url = `http://127.0.0.1:${replace['8080']}/`;
      const cli = await folder.start(readme.block('follow-cli'), {
        replace: { '8080': replace['8080'] },
        readyLine: /balancing 2 backends/,
      });
      expect(new Set(await backendsOf(url, 4))).toEqual(new Set([first, second]));
      await cli.stop();

      folder.write('follow.mjs', readme.block('follow-api'), {
        replace: { '8080': replace['8080'], '9090': replace['9090'] },
      });
      const api = await folder.start('node follow.mjs', { readyLine: /balancing on/ });
      expect(await backendsOf(url, 6)).toEqual([first, second, first, first, second, first]);
      const base = `http://127.0.0.1:${replace['9090']}`;
      const listed = (await httpRequest(`${base}/api/v1/fleets`)).json<{
        fleets: { id: string; connected: boolean }[];
      }>();
      expect(listed.fleets).toMatchObject([{ id: 'app', connected: true }]);
      const restart = await httpRequest(`${base}/api/v1/fleets/app/workers/1/restart`, {
        method: 'POST',
      });
      expect(restart.status).toBe(200);
      await api.waitForLine('app: worker-exit (slot 1)');
      await api.stop();
      await fleet.stop();
    });
  });
});
