import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnNode, stopAll } from '@koa-fleet/testkit';
import { afterAll, describe, expect, it } from 'vitest';

// The bin runs dist/cli.js: build first (the root `pnpm test` does).
const bin = fileURLToPath(new URL('../bin/koa-fleet-balancer.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kf-balancer-export-cli-'));

async function cli(args: string[]) {
  const run = await spawnNode(bin, { args });
  const status = await run.waitForExit();
  return { code: status.code, stdout: run.stdout(), stderr: run.stderr() };
}

describe('koa-fleet-balancer export', () => {
  afterAll(stopAll);

  it('prints the --backend flags as an nginx upstream and server, and exits 0', async () => {
    const run = await cli([
      'export',
      'nginx',
      '--backend',
      'http://127.0.0.1:3001=3',
      '--backend',
      'http://127.0.0.1:3002',
      '--strategy',
      'least-conn',
      '--port',
      '8081',
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^# Exported by koa-fleet-balancer for nginx's http context/);
    expect(run.stdout).toContain(
      [
        'upstream koa_fleet {',
        '    zone koa_fleet 64k;',
        '    least_conn;',
        '    server 127.0.0.1:3001 weight=3 max_fails=1 fail_timeout=10s;',
        '    server 127.0.0.1:3002 weight=1 max_fails=1 fail_timeout=10s;',
      ].join('\n'),
    );
    expect(run.stdout).toContain('    listen 8081;');
    expect(run.stdout).not.toContain('events {}');
  });

  it('reads --config with the flags over it, and writes a whole haproxy.cfg with --full', async () => {
    const file = join(dir, 'balancer.json');
    writeFileSync(
      file,
      JSON.stringify({
        backends: ['http://127.0.0.1:3001', 'http://127.0.0.1:3002'],
        healthCheck: { interval: '5s' },
        port: 9000,
      }),
    );
    const run = await cli([
      'export',
      'haproxy',
      '-c',
      file,
      '--health-check',
      '/ready',
      '--full',
      '--name',
      'shop',
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^# haproxy\.cfg exported by koa-fleet-balancer/m);
    for (const line of [
      'global',
      'frontend shop',
      '    bind :9000',
      'backend shop',
      '    http-check send meth GET uri /ready',
      '    server 127.0.0.1:3001 127.0.0.1:3001 weight 1 check inter 5s rise 2 fall 3 observe layer4 error-limit 1 on-error mark-down pool-max-conn 64 pool-purge-delay 4s',
    ]) {
      expect(run.stdout.split('\n')).toContain(line);
    }
  });

  it('exits 2 naming the bad flag, as the balancer itself does, and prints nothing', async () => {
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
        ['--backend', 'http://127.0.0.1:3001', '--hash-key', 'ip'],
        '--hash-key must be given with --strategy hash, got "ip"',
      ],
      [
        [],
        '--backend must be given at least once (or --fleet), or --config with backends or fleets, got nothing',
      ],
    ];
    for (const [args, message] of cases) {
      for (const engine of ['nginx', 'haproxy']) {
        const exported = await cli(['export', engine, ...args]);
        expect(exported, args.join(' ')).toEqual({
          code: 2,
          stdout: '',
          stderr: `koa-fleet-balancer: ${message}\n`,
        });
      }
      // The same words from the balancer itself, which never starts.
      expect((await cli(args)).stderr).toBe(`koa-fleet-balancer: ${message}\n`);
    }
  });

  it('names a field of the --config file by its path, as the balancer does', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({ backends: ['http://127.0.0.1:3001'], timeouts: { connect: 'soon' } }),
    );
    const exported = await cli(['export', 'nginx', '--config', file]);
    const message = `koa-fleet-balancer: ${file}: timeouts.connect must be a duration (milliseconds, or text such as "10s") ≥ 1 ms, got "soon"\n`;
    expect(exported).toEqual({ code: 2, stdout: '', stderr: message });
    expect((await cli(['--config', file])).stderr).toBe(message);
  });

  it('exits 2 for what only an export refuses: port 0, a bad --name, an engine it does not know', async () => {
    const backend = ['--backend', 'http://127.0.0.1:3001'];
    expect(await cli(['export', 'haproxy', ...backend, '--port', '0'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'koa-fleet-balancer: --port must be a port from 1 to 65535 (an exported config cannot pick a free one), got 0\n',
    });
    expect((await cli(['export', 'nginx', ...backend, '--name', 'my-app'])).stderr).toBe(
      'koa-fleet-balancer: --name must be a letter, then letters, digits or "_", got "my-app"\n',
    );
    const unknown = await cli(['export', 'apache', ...backend]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^error: command-argument value 'apache' is invalid for argument 'engine'\. Allowed choices are nginx, haproxy\./,
    );
    const flag = await cli(['export', 'nginx', ...backend, '--workers', '2']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^error: unknown option '--workers'/);
  });
});
