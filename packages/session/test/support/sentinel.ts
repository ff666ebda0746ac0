import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '@koa-fleet/testkit';
import { Redis } from 'ioredis';

export interface Sentinel {
  port: number;
  stop(): Promise<void>;
}

/** A real redis-sentinel on a free loopback port monitoring `mymaster` at masterPort. */
export async function startSentinel(masterPort: number): Promise<Sentinel> {
  const port = await freePort('127.0.0.1');
  const dir = mkdtempSync(join(tmpdir(), 'koa-fleet-sentinel-'));
  const conf = join(dir, 'sentinel.conf'); // sentinel rewrites its own config: a private copy
  writeFileSync(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor mymaster 127.0.0.1 ${masterPort} 1`,
    ].join('\n'),
  );
  const child: ChildProcess = spawn('/usr/bin/redis-server', [conf, '--sentinel'], {
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const probe = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => 50,
  });
  probe.on('error', () => {});
  try {
    await waitFor('sentinel to know the master', async () => {
      try {
        const addr = (await probe.call('SENTINEL', 'get-master-addr-by-name', 'mymaster')) as
          string[] | null;
        return addr?.[1] === String(masterPort);
      } catch {
        return false;
      }
    });
  } finally {
    probe.disconnect();
  }
  return {
    port,
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
