import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, posix } from 'node:path';

/**
 * The CPUs a cgroup CPU quota allows this process (1.5 for `150000 100000`), or undefined when
 * there is no quota or it cannot be read. On Node 20, os.availableParallelism() counts the host's
 * cores even in a container limited to one CPU, so a fleet would fork one worker per host core
 * and have them throttled in turn.
 *
 * cgroup v2: `cpu.max` (`$MAX $PERIOD`, `max` = no limit) of the process's cgroup and of every
 * cgroup above it (a systemd slice or a pod's cgroup limits its children too); the smallest wins.
 * cgroup v1: `cpu.cfs_quota_us` / `cpu.cfs_period_us` (-1 = no limit) of the `cpu` hierarchy.
 * `root` stands for `/`, so tests can hand it a directory of sample files. Never throws.
 */
export function cgroupCpuLimit(root = '/'): number | undefined {
  const memberships = readText(join(root, 'proc/self/cgroup'));
  if (memberships === undefined) return undefined;
  let smallest: number | undefined;
  for (const directory of quotaDirectories(root, memberships)) {
    const cpus = cpuMax(directory) ?? cfsQuota(directory);
    if (cpus !== undefined && (smallest === undefined || cpus < smallest)) smallest = cpus;
  }
  return smallest;
}

/**
 * The default worker count: the cgroup CPU limit rounded up (1.5 CPUs → 2 workers, so the half
 * CPU is used), at least 1 and at most the cores the process may run on.
 */
export function defaultWorkerCount(
  root = '/',
  parallelism: number = availableParallelism(),
): number {
  const limit = cgroupCpuLimit(root);
  const cores = Math.max(1, parallelism);
  return limit === undefined ? cores : Math.min(cores, Math.max(1, Math.ceil(limit)));
}

/**
 * The cgroup directories whose quota applies, from the process's own up to the hierarchy's top.
 * In a container with its own cgroup namespace the process's path is `/`; without one it names a
 * path of the host's tree that the container's mount does not have, and walking up reaches the
 * mount's top, which is the container's cgroup.
 */
function quotaDirectories(root: string, memberships: string): string[] {
  const directories: string[] = [];
  for (const line of memberships.split('\n')) {
    // hierarchy-id:controllers:path; the path may itself hold a colon.
    const match = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, hierarchy, controllers, path] = match as unknown as [string, string, string, string];
    const isV2 = hierarchy === '0' && controllers === '';
    if (isV2) {
      directories.push(...ancestors(join(root, 'sys/fs/cgroup'), path));
    } else if (controllers.split(',').includes('cpu')) {
      for (const mount of ['cpu,cpuacct', 'cpu', 'cpuacct,cpu']) {
        directories.push(...ancestors(join(root, 'sys/fs/cgroup', mount), path));
      }
    }
  }
  return directories;
}

/** `base/a/b`, `base/a`, `base` for the path `/a/b`. */
function ancestors(base: string, path: string): string[] {
  const parts = posix.normalize(`/${path}`).split('/').filter(Boolean);
  const directories: string[] = [];
  for (let depth = parts.length; depth >= 0; depth--) {
    directories.push(join(base, ...parts.slice(0, depth)));
  }
  return directories;
}

/** cgroup v2 `cpu.max`: `150000 100000` → 1.5; `max 100000` → no limit. */
function cpuMax(directory: string): number | undefined {
  const text = readText(join(directory, 'cpu.max'));
  if (text === undefined) return undefined;
  const [quota, period = '100000'] = text.trim().split(/\s+/);
  if (quota === undefined || quota === 'max') return undefined;
  return ratio(quota, period);
}

/** cgroup v1 `cpu.cfs_quota_us` over `cpu.cfs_period_us`; a quota of -1 is no limit. */
function cfsQuota(directory: string): number | undefined {
  const quota = readText(join(directory, 'cpu.cfs_quota_us'));
  const period = readText(join(directory, 'cpu.cfs_period_us'));
  if (quota === undefined || period === undefined) return undefined;
  return ratio(quota.trim(), period.trim());
}

function ratio(quotaText: string, periodText: string): number | undefined {
  if (!/^\d+$/.test(quotaText) || !/^\d+$/.test(periodText)) return undefined;
  const quota = Number(quotaText);
  const period = Number(periodText);
  return quota > 0 && period > 0 ? quota / period : undefined;
}

/** A file's text, or undefined when it is missing or unreadable (a quota is only a hint). */
function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
