import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Open sockets of a process: its /proc/<pid>/fd links to `socket:[…]` (TCP, unix, IPC). */
export function openSockets(pid: number): number {
  let sockets = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets += 1;
    } catch {
      // closed between the listing and the read
    }
  }
  return sockets;
}

/** Resident set size in bytes (VmRSS of /proc/<pid>/status). */
export function residentBytes(pid: number): number {
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kib ?? 0) * 1024;
}

/** Whether /proc shows processes, which the socket and memory counts need (Linux). */
export function procAvailable(): boolean {
  try {
    readdirSync(`/proc/${process.pid}/fd`);
    return true;
  } catch {
    return false;
  }
}
