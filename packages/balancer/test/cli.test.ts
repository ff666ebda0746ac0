import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, httpRequest, spawnNode, stopAll, waitFor } from '@koa-fleet/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { Agent } from 'node:https';
import { certificateDir, httpsRequest, makeCertificate } from './support/certificates.js';
import { useTestServers } from './support/test-servers.js';
import { echoWebSockets, openWebSocket } from './support/websocket.js';

// The bin runs dist/cli.js: build first (the root `pnpm test` does).
const bin = fileURLToPath(new URL('../bin/koa-fleet-balancer.js', import.meta.url));
const servers = useTestServers();
const dir = mkdtempSync(join(tmpdir(), 'kf-balancer-cli-'));

async function order(url: string, count: number): Promise<string> {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    names.push((await httpRequest(url)).json<{ backend: string }>().backend);
  }
  return names.join(' ');
}

describe('koa-fleet-balancer', () => {
  afterAll(stopAll);

  it('balances the --backend flags by their =weight and stops with 0 on SIGTERM', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const port = await freePort();
    const cli = await spawnNode(bin, {
      args: [
        '--backend',
        `${a.url}=3`,
        '--backend',
        b.url,
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
      ],
      readyLine: /balancing 2 backends/,
    });
    expect(await order(`http://127.0.0.1:${port}`, 8)).toBe('a a b a a a b a');
    cli.kill('SIGTERM');
    expect(await cli.waitForExit()).toEqual({ code: 0, signal: null });
  });

  it('reads --config from JSON or from a module, and flags win over the file', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const port = await freePort();
    const json = join(dir, 'balancer.json');
    writeFileSync(
      json,
      JSON.stringify({ backends: [a.url, b.url], port: 1, host: '127.0.0.1', logLevel: 'warn' }),
    );
    const fromJson = await spawnNode(bin, {
      args: ['--config', json, '--port', String(port), '--log-level', 'info'],
      readyLine: /balancing/,
    });
    expect(await order(`http://127.0.0.1:${port}`, 4)).toBe('a b a b');
    await fromJson.stop();

    const module = join(dir, 'balancer.mjs');
    writeFileSync(
      module,
      `export default { backends: [${JSON.stringify(a.url)}], port: ${port}, host: '127.0.0.1', strategy: 'least-conn' };\n`,
    );
    const fromModule = await spawnNode(bin, {
      args: ['-c', module],
      readyLine: /balancing 1 backend on/,
    });
    expect(await order(`http://127.0.0.1:${port}`, 2)).toBe('a a');
    await fromModule.stop();
  });

  it('exits 2 naming the field by its dotted path, in the file it came from', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        backends: ['http://127.0.0.1:3001', { url: 'http://127.0.0.1:3002', weight: 0 }],
      }),
    );
    const cli = await spawnNode(bin, { args: ['--config', file] });
    expect(await cli.waitForExit()).toEqual({ code: 2, signal: null });
    expect(cli.stderr()).toBe(
      `koa-fleet-balancer: ${file}: backends[1].weight must be an integer ≥ 1, got 0\n`,
    );
  });

  it('exits 2 naming the flag for a bad flag, a missing file or no backend at all', async () => {
    const cases: [string[], string][] = [
      [
        ['--backend', 'http://127.0.0.1:3001=0'],
        '--backend http://127.0.0.1:3001=0 (backends[0].weight) must be an integer ≥ 1, got 0',
      ],
      [
        ['--backend', 'http://127.0.0.1:3001', '--port', 'eighty'],
        '--port must be an integer from 0 to 65535, got "eighty"',
      ],
      [
        ['--config', join(dir, 'missing.json')],
        `config file ${join(dir, 'missing.json')}: no such file`,
      ],
      [
        [],
        '--backend must be given at least once (or --fleet), or --config with backends or fleets, got nothing',
      ],
    ];
    for (const [args, message] of cases) {
      const cli = await spawnNode(bin, { args });
      expect(await cli.waitForExit(), args.join(' ')).toEqual({ code: 2, signal: null });
      expect(cli.stderr()).toBe(`koa-fleet-balancer: ${message}\n`);
    }
  });

  it('exits 1 when its port is taken', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => taken.once('listening', resolve));
    const { port } = taken.address() as { port: number };
    const cli = await spawnNode(bin, {
      args: ['--backend', 'http://127.0.0.1:3001', '--port', String(port), '--host', '127.0.0.1'],
    });
    expect(await cli.waitForExit()).toEqual({ code: 1, signal: null });
    expect(cli.stderr()).toBe(
      `koa-fleet-balancer: cannot listen on 127.0.0.1:${port}: the address is already in use\n`,
    );
    taken.close();
  });

  it('--workers 2 answers from two balancer processes and exits 0 on SIGTERM', async () => {
    const backend = await servers.backend('a');
    const port = await freePort();
    const cli = await spawnNode(bin, {
      args: ['-b', backend.url, '-p', String(port), '-H', '127.0.0.1', '-w', '2', '--access-log'],
      readyLine: /balancing 1 backend on .* with 2 workers/,
    });
    // A fresh connection per request: node:cluster hands each to the next worker.
    for (let i = 0; i < 8; i++) {
      const reply = await httpRequest(`http://127.0.0.1:${port}/`, {
        headers: { 'x-request-id': `r-${i}` },
      });
      expect(reply.status).toBe(200);
    }
    const pids = new Set<number>();
    await waitFor('8 access log lines', () => {
      for (const line of cli.stdout().split('\n')) {
        if (!line.includes('"msg":"request"')) continue;
        const { pid, requestId } = JSON.parse(line) as { pid: number; requestId: string };
        if (requestId.startsWith('r-')) pids.add(pid);
      }
      return pids.size === 2;
    });
    expect(pids.has(cli.pid)).toBe(false); // the primary only supervises
    cli.kill('SIGTERM');
    expect(await cli.waitForExit()).toEqual({ code: 0, signal: null });
  });

  it('serves HTTPS with --tls-cert/--tls-key and reloads them on SIGHUP, open connections kept', async () => {
    const backend = await servers.backend('a');
    const certificates = certificateDir();
    const first = makeCertificate(certificates, 'first');
    const [port, redirectPort] = [await freePort(), await freePort()];
    const cli = await spawnNode(bin, {
      args: [
        ...['--backend', backend.url, '--port', String(port), '--host', '127.0.0.1'],
        ...['--tls-cert', first.cert, '--tls-key', first.key],
        ...['--http-redirect-port', String(redirectPort)],
      ],
      readyLine: /balancing 1 backend on https:/,
    });
    const url = `https://127.0.0.1:${port}/`;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = await httpsRequest(url, first.pem, { agent });
    expect(before.servedBy).toBe('first');
    const redirect = await httpRequest(`http://127.0.0.1:${redirectPort}/a`);
    expect(redirect.headers.location).toBe(`https://127.0.0.1:${port}/a`);

    const second = makeCertificate(certificates, 'second');
    cli.kill('SIGHUP');
    await cli.waitForLine(/reloaded the TLS certificate/);
    expect(await httpsRequest(url, first.pem, { agent })).toMatchObject({
      servedBy: 'first',
      localPort: before.localPort,
    });
    agent.destroy();
    expect((await httpsRequest(url, second.pem)).servedBy).toBe('second');

    writeFileSync(second.key, 'broken'); // a bad renewal: logged, and the edge goes on
    cli.kill('SIGHUP');
    await cli.waitForLine(/KF_BALANCER_CERTIFICATE/);
    expect((await httpsRequest(url, second.pem)).status).toBe(200);
    cli.kill('SIGTERM');
    expect(await cli.waitForExit()).toEqual({ code: 0, signal: null });
  });

  it('--workers: SIGHUP replaces the workers one by one, each reading --config afresh', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const port = await freePort();
    const file = join(dir, 'workers.json');
    writeFileSync(file, JSON.stringify({ backends: [a.url], port, host: '127.0.0.1' }));
    const cli = await spawnNode(bin, {
      args: ['--config', file, '--workers', '2'],
      readyLine: /with 2 workers/,
    });
    expect(await order(`http://127.0.0.1:${port}`, 4)).toBe('a a a a');
    writeFileSync(file, JSON.stringify({ backends: [b.url], port, host: '127.0.0.1' }));
    cli.child.kill('SIGHUP'); // the primary only
    await cli.waitForLine(/reload: generation 2 serving on every slot/);
    expect(await order(`http://127.0.0.1:${port}`, 4)).toBe('b b b b');
    await cli.stop();
  });

  it('--workers exits 2 on a worker count out of range, and 1 when the port is taken', async () => {
    const bad = await spawnNode(bin, { args: ['-b', 'http://127.0.0.1:3001', '--workers', '0'] });
    expect(await bad.waitForExit()).toEqual({ code: 2, signal: null });
    expect(bad.stderr()).toBe(
      'koa-fleet-balancer: --workers must be an integer from 1 to 1024, got 0\n',
    );
    const taken = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => taken.once('listening', resolve));
    const { port } = taken.address() as { port: number };
    const cli = await spawnNode(bin, {
      args: ['-b', 'http://127.0.0.1:3001', '-p', String(port), '-H', '127.0.0.1', '-w', '2'],
    });
    expect(await cli.waitForExit()).toEqual({ code: 1, signal: null });
    expect(cli.stderr()).toBe(
      `koa-fleet-balancer: cannot listen on 127.0.0.1:${port}: the address is already in use\n`,
    );
    taken.close();
  });

  it('--health-check takes the path to check, named by the flag when it is wrong', async () => {
    const cli = await spawnNode(bin, {
      args: ['-b', 'http://127.0.0.1:3001', '--health-check', 'readyz'],
    });
    expect(await cli.waitForExit()).toEqual({ code: 2, signal: null });
    expect(cli.stderr()).toBe(
      'koa-fleet-balancer: --health-check must be a path starting with "/", got "readyz"\n',
    );
  });

  it('exits 2 for --tls-cert without --tls-key, or a certificate it cannot read', async () => {
    const missing = join(dir, 'missing.crt');
    const cases: [string[], string][] = [
      [['--tls-cert', missing], '--tls-key must be given with --tls-cert, got nothing'],
      [['--tls-cert', missing, '--tls-key', missing], `TLS certificate ${missing}: no such file`],
      [
        ['--http-redirect-port', '80'],
        '--http-redirect-port must be given with --tls-cert and --tls-key, got "80"',
      ],
    ];
    for (const [args, message] of cases) {
      const cli = await spawnNode(bin, { args: ['--backend', 'http://127.0.0.1:3001', ...args] });
      expect(await cli.waitForExit(), args.join(' ')).toEqual({ code: 2, signal: null });
      expect(cli.stderr()).toBe(`koa-fleet-balancer: ${message}\n`);
    }
  });

  it('--workers with TLS: HTTPS, the redirect, WebSockets and the client limits on every worker; SIGHUP renews the certificate', async () => {
    const backend = await servers.backend('a');
    echoWebSockets(backend.server, 'a');
    const certificates = certificateDir();
    const first = makeCertificate(certificates, 'first');
    const [port, redirectPort] = [await freePort(), await freePort()];
    const file = join(dir, 'workers-tls.json');
    writeFileSync(file, JSON.stringify({ client: { maxHeaderSize: '2kb' } }));
    const cli = await spawnNode(bin, {
      args: [
        ...['--config', file, '--backend', backend.url, '--port', String(port)],
        ...['--host', '127.0.0.1', '--workers', '2', '--access-log'],
        ...['--tls-cert', first.cert, '--tls-key', first.key],
        ...['--http-redirect-port', String(redirectPort)],
      ],
      readyLine: /balancing 1 backend on https:\S+ with 2 workers/,
    });
    const url = `https://127.0.0.1:${port}/`;
    for (let i = 0; i < 6; i++) {
      expect(await httpsRequest(url, first.pem)).toMatchObject({ status: 200, servedBy: 'first' });
    }
    const pids = new Set<number>();
    await waitFor('requests served by both workers', () => {
      for (const line of cli.stdout().split('\n')) {
        if (line.includes('"msg":"request"')) pids.add((JSON.parse(line) as { pid: number }).pid);
      }
      return pids.size === 2;
    });
    const redirect = await httpRequest(`http://127.0.0.1:${redirectPort}/a`);
    expect(redirect).toMatchObject({ status: 308 });
    expect(redirect.headers.location).toBe(`https://127.0.0.1:${port}/a`);
    const ws = await openWebSocket(`https://127.0.0.1:${port}/chat`, first.pem);
    ws.send('hi');
    expect(await ws.next()).toBe('a: hi');
    await ws.close();
    const big = await httpsRequest(url, first.pem, { headers: { 'x-big': 'x'.repeat(3000) } });
    expect(big.status).toBe(431);

    // SIGHUP is the fleet's rolling reload: each new worker reads the files again.
    const second = makeCertificate(certificates, 'second');
    cli.kill('SIGHUP');
    await cli.waitForLine(/generation 2 serving on every slot/);
    for (let i = 0; i < 4; i++)
      expect((await httpsRequest(url, second.pem)).servedBy).toBe('second');
    cli.kill('SIGTERM');
    expect(await cli.waitForExit()).toEqual({ code: 0, signal: null });
  });

  it('--help lists the flags and the exit codes', async () => {
    const cli = await spawnNode(bin, { args: ['--help'] });
    expect(await cli.waitForExit()).toEqual({ code: 0, signal: null });
    for (const flag of [
      '--config',
      '--backend',
      '--port',
      '--host',
      '--strategy',
      '--tls-cert',
      'Exit codes',
    ]) {
      expect(cli.stdout()).toContain(flag);
    }
  });
});
