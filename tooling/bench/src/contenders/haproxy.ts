import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerStartError } from '../errors.js';
import { backendUrls } from './backend-urls.js';
import { findExecutable } from '../internal/find-executable.js';
import { waitForGroupExit } from '../internal/wait-for-group-exit.js';
import { waitForWorkers } from '../internal/wait-for-workers.js';
import type { Contender, ContenderLabel, RunningServer, StartContext } from '../scenario.js';

/**
 * HAProxy (Debian's `haproxy`) in the foreground (`-db`), its own process group, with a config
 * in a temp dir balancing over the scenario's backends; ready once every backend answered
 * `GET /pid` through it. Stopping sends SIGTERM (HAProxy's hard stop) to the group.
 */
export function haproxyProxy({ name, description }: ContenderLabel): Contender {
  return {
    name,
    description,
    async start(context: StartContext): Promise<RunningServer> {
      const backends = backendUrls(name, context);
      const binary = findExecutable('haproxy');
      if (!binary) {
        throw ServerStartError.of(name, 'haproxy is not installed (apt-get install -y haproxy)');
      }
      const dir = mkdtempSync(join(tmpdir(), 'koa-fleet-bench-haproxy-'));
      const config = join(dir, 'haproxy.cfg');
      writeFileSync(config, haproxyConfig(context.port, backends));
      const child = spawn(binary, ['-db', '-f', config], {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const collect = (chunk: string) => (output += chunk);
      child.stdout.setEncoding('utf8').on('data', collect);
      child.stderr.setEncoding('utf8').on('data', collect);
      const exited = new Promise<never>((_, reject) => {
        child.once('error', reject);
        child.once('exit', (code, signal) => reject(new Error(`exited (${signal ?? code})`)));
      });
      exited.catch(() => {}); // also rejects after a normal stop; only the start awaits it
      const stop = async (): Promise<void> => {
        const pid = child.pid;
        if (pid !== undefined) {
          try {
            process.kill(-pid, 'SIGTERM');
          } catch {
            // already gone
          }
          await waitForGroupExit(pid);
        }
        rmSync(dir, { recursive: true, force: true });
      };
      const url = `http://127.0.0.1:${context.port}`;
      try {
        await Promise.race([waitForWorkers(url, backends.length), exited]);
      } catch (error) {
        await stop();
        throw ServerStartError.of(name, `${String(error)}\n${output}`);
      }
      return { url, stop };
    },
  };
}

/**
 * One thread, round robin over `backends`, idle server connections shared between clients
 * (`http-reuse always`, as nginx's `keepalive` pool) and the forwarded headers a balancer sets,
 * as the koa-fleet balancer is configured.
 */
export function haproxyConfig(port: number, backends: readonly string[]): string {
  const servers = backends.map((url, i) => `  server b${i + 1} ${new URL(url).host}`);
  return `global
  nbthread 1
  maxconn 4096

defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  option forwardfor
  http-reuse always

frontend balancer
  bind 127.0.0.1:${port}
  http-request set-header X-Forwarded-Proto http
  http-request set-header X-Forwarded-Host %[req.hdr(host)]
  default_backend backends

backend backends
  balance roundrobin
${servers.join('\n')}
`;
}
