import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cgroupCpuLimit, defaultWorkerCount } from './cgroup-cpu-limit.js';

const roots: string[] = [];

/** A directory standing for `/`, holding the given files (path relative to `/` → text). */
function fsRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'kf-cgroup-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

afterEach(() => {
  for (const root of roots.splice(0)) {
    chmodSync(root, 0o700);
    rmSync(root, { recursive: true, force: true });
  }
});

const V2_IN_CONTAINER = { 'proc/self/cgroup': '0::/\n' };
const V1_CGROUP = [
  '12:memory:/docker/abc',
  '4:cpu,cpuacct:/docker/abc',
  '3:cpuset:/docker/abc',
  '1:name=systemd:/docker/abc',
  '',
].join('\n');

describe('cgroupCpuLimit', () => {
  it('reads cgroup v2 cpu.max of a container (its own cgroup namespace)', () => {
    const root = fsRoot({ ...V2_IN_CONTAINER, 'sys/fs/cgroup/cpu.max': '150000 100000\n' });
    expect(cgroupCpuLimit(root)).toBe(1.5);
  });

  it('sees no limit in `max 100000`', () => {
    const root = fsRoot({ ...V2_IN_CONTAINER, 'sys/fs/cgroup/cpu.max': 'max 100000\n' });
    expect(cgroupCpuLimit(root)).toBeUndefined();
  });

  it('takes the smallest quota of the cgroup and the ones above it (a systemd slice)', () => {
    const root = fsRoot({
      'proc/self/cgroup': '0::/system.slice/app.slice/koa-fleet@web.service\n',
      'sys/fs/cgroup/system.slice/app.slice/koa-fleet@web.service/cpu.max': 'max 100000\n',
      'sys/fs/cgroup/system.slice/app.slice/cpu.max': '250000 100000\n',
      'sys/fs/cgroup/system.slice/cpu.max': '400000 100000\n',
    });
    expect(cgroupCpuLimit(root)).toBe(2.5);
  });

  it("walks up to the mount's top when the host path is not mounted (no cgroup namespace)", () => {
    const root = fsRoot({
      'proc/self/cgroup': '0::/kubepods.slice/pod1/cri-abc\n',
      'sys/fs/cgroup/cpu.max': '50000 100000\n',
    });
    expect(cgroupCpuLimit(root)).toBe(0.5);
  });

  it('reads cgroup v1 cpu.cfs_quota_us over cpu.cfs_period_us', () => {
    const root = fsRoot({
      'proc/self/cgroup': V1_CGROUP,
      'sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us': '300000\n',
      'sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us': '100000\n',
    });
    expect(cgroupCpuLimit(root)).toBe(3);
  });

  it('reads cgroup v1 under a path of its own and in a `cpu` mount', () => {
    const root = fsRoot({
      'proc/self/cgroup': '1:cpu:/batch\n',
      'sys/fs/cgroup/cpu/batch/cpu.cfs_quota_us': '20000\n',
      'sys/fs/cgroup/cpu/batch/cpu.cfs_period_us': '10000\n',
    });
    expect(cgroupCpuLimit(root)).toBe(2);
  });

  it('sees no limit in a cgroup v1 quota of -1', () => {
    const root = fsRoot({
      'proc/self/cgroup': V1_CGROUP,
      'sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us': '-1\n',
      'sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us': '100000\n',
    });
    expect(cgroupCpuLimit(root)).toBeUndefined();
  });

  it.each([
    ['no /proc/self/cgroup', {}],
    ['a cgroup without a cpu controller file', V2_IN_CONTAINER],
    ['garbage in cpu.max', { ...V2_IN_CONTAINER, 'sys/fs/cgroup/cpu.max': 'lots\n' }],
    ['a zero period', { ...V2_IN_CONTAINER, 'sys/fs/cgroup/cpu.max': '100000 0\n' }],
    ['garbage in /proc/self/cgroup', { 'proc/self/cgroup': 'not a cgroup file\n' }],
  ])('falls back (undefined, no throw) on %s', (_, files: Record<string, string>) => {
    expect(cgroupCpuLimit(fsRoot(files))).toBeUndefined();
  });

  it('falls back when the files cannot be read', () => {
    const root = fsRoot({ ...V2_IN_CONTAINER, 'sys/fs/cgroup/cpu.max': '100000 100000\n' });
    chmodSync(join(root, 'sys/fs/cgroup/cpu.max'), 0o000);
    const readableByRoot = process.getuid?.() === 0; // root reads a file whatever its mode
    expect(cgroupCpuLimit(root)).toBe(readableByRoot ? 1 : undefined);
    chmodSync(root, 0o000);
    expect(cgroupCpuLimit(root)).toBe(readableByRoot ? 1 : undefined);
  });

  it('answers on this machine without throwing', () => {
    const limit = cgroupCpuLimit();
    expect(limit === undefined || limit > 0).toBe(true);
  });
});

describe('defaultWorkerCount', () => {
  const withCpuMax = (cpuMax: string) =>
    fsRoot({ ...V2_IN_CONTAINER, 'sys/fs/cgroup/cpu.max': `${cpuMax}\n` });

  it('rounds a fractional limit up: 1.5 CPUs → 2 workers', () => {
    expect(defaultWorkerCount(withCpuMax('150000 100000'), 8)).toBe(2);
  });

  it('gives at least one worker for a quota under one CPU', () => {
    expect(defaultWorkerCount(withCpuMax('10000 100000'), 8)).toBe(1);
  });

  it('gives at most the available cores for a quota above them', () => {
    expect(defaultWorkerCount(withCpuMax('1600000 100000'), 4)).toBe(4);
  });

  it('gives the available cores without a quota', () => {
    expect(defaultWorkerCount(withCpuMax('max 100000'), 6)).toBe(6);
    expect(defaultWorkerCount(fsRoot({}), 3)).toBe(3);
  });
});
