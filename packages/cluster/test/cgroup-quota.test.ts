import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@koa-fleet/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from './helpers/fleet.js';
import { NodeProcess } from './helpers/node-process.js';
import { freePort } from './helpers/ports.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** A cgroup of this machine's CPU controller with a quota, or why none can be made here. */
interface QuotaGroup {
  dir: string;
  /** The file a pid is written to, to move that process into the group. */
  procs: string;
}

/**
 * Makes a cgroup with `cpus` CPUs of quota: cgroup v2 `cpu.max` where the cpu controller is on,
 * else the v1 `cpu` hierarchy. Needs root and a writable cgroup file system; undefined otherwise.
 */
function quotaGroup(cpus: number): QuotaGroup | undefined {
  const name = `kf-cgroup-quota-${process.pid}`;
  const v2 = '/sys/fs/cgroup';
  const controllers = join(v2, 'cgroup.subtree_control');
  const candidates = [
    existsSync(controllers) && readFileSync(controllers, 'utf8').split(/\s+/).includes('cpu')
      ? {
          dir: join(v2, name),
          write: (dir: string) => writeFileSync(join(dir, 'cpu.max'), `${cpus * 100_000} 100000`),
        }
      : undefined,
    existsSync('/sys/fs/cgroup/cpu/cpu.cfs_quota_us')
      ? {
          dir: join('/sys/fs/cgroup/cpu', name),
          write: (dir: string) => {
            writeFileSync(join(dir, 'cpu.cfs_period_us'), '100000');
            writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(cpus * 100_000));
          },
        }
      : undefined,
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      mkdirSync(candidate.dir);
    } catch {
      continue; // not root, or a read-only cgroup file system
    }
    try {
      candidate.write(candidate.dir);
      return { dir: candidate.dir, procs: join(candidate.dir, 'cgroup.procs') };
    } catch {
      rmdirSync(candidate.dir);
    }
  }
  return undefined;
}

let primary: NodeProcess | undefined;
let group: QuotaGroup | undefined;

afterEach(async () => {
  await primary?.stop();
  if (!group) return;
  // A cgroup can be removed once its last process (a worker on its way out) has left.
  const procs = group.procs;
  await waitFor('the cgroup to be empty', () => readFileSync(procs, 'utf8').trim() === '');
  rmdirSync(group.dir);
  group = undefined;
});

describe('workers default in a cgroup with a CPU quota', () => {
  it('starts one worker per quota CPU (rounded up), not one per core', async (context) => {
    group = quotaGroup(0.5);
    // Needs root and a writable cgroup file system (this machine's CI has both).
    if (!group) return context.skip();
    // Joins the group before the CLI runs, as a process that systemd or a runtime starts does.
    const joinGroup = `data:text/javascript,import{writeFileSync}from'node:fs';writeFileSync(${JSON.stringify(group.procs)},String(process.pid))`;
    primary = new NodeProcess([
      '--import',
      joinGroup,
      cli,
      'start',
      fixture('hello.mjs'),
      '--host',
      '127.0.0.1',
      '--port',
      String(await freePort()),
    ]);
    const ready = await primary.waitFor((_line, json) =>
      String(json?.msg).startsWith('fleet ready'),
    );
    console.log(
      `cgroup quota 0.5 CPU: ${String(ready.msg)} (availableParallelism ${availableParallelism()})`,
    );
    expect(ready.msg).toMatch(/^fleet ready: 1\/1 workers/);
    primary.child.kill('SIGTERM');
    expect(await primary.exit).toEqual({ code: 0, signal: null });
  });
});
