import { ip } from './ip-command.js';
import { runOf } from './run-prefix.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function stale(name: string): boolean {
  const pid = runOf(name);
  return pid !== undefined && pid !== process.pid && !alive(pid);
}

/**
 * Removes the namespaces (and the processes left in them) and links of runs that are gone — a
 * test process killed before its afterAll — so a new run starts from a clean machine. Returns
 * the names removed.
 */
export function removeStaleHostNetworks(): string[] {
  const removed: string[] = [];
  const namespaces = ip(['netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter(stale);
  for (const netns of namespaces) {
    for (const pid of ip(['netns', 'pids', netns]).split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  // Links before namespaces: a veth end deleted takes its pair at once, where a deleted
  // namespace's links linger a moment (the kernel removes them in the background).
  const links = ip(['-o', 'link', 'show'])
    .split('\n')
    .map((line) => /^\d+:\s+([^:@\s]+)/.exec(line)?.[1] ?? '')
    .filter(stale);
  for (const link of links) {
    ip(['link', 'delete', link]);
    removed.push(link);
  }
  for (const netns of namespaces) {
    ip(['netns', 'delete', netns]);
    removed.push(netns);
  }
  return removed;
}
