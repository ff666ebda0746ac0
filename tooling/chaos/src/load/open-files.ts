import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { OpenFilesError } from '../errors.js';

/** This process's open-file limits (`ulimit -n` and its hard ceiling), from /proc. */
export function openFilesLimit(): { soft: number; hard: number } {
  const line = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  const value = (text: string | undefined) =>
    text === undefined || text === 'unlimited' ? Number.POSITIVE_INFINITY : Number(text);
  return { soft: value(line?.[1]), hard: value(line?.[2]) };
}

/**
 * Makes sure this process — and what it starts from now on, which inherits it — may hold
 * `needed` open files: every socket is one. Raises the soft limit up to the hard one when it is
 * lower (`prlimit`); an OpenFilesError when even the hard one is. Returns the limit in force.
 */
export function ensureOpenFiles(needed: number): number {
  const { soft, hard } = openFilesLimit();
  if (soft >= needed) return soft;
  if (hard < needed) {
    throw new OpenFilesError(
      `${needed} open files are needed and the hard limit is ${hard}: raise it (ulimit -Hn) to run this scenario`,
    );
  }
  const hardText = Number.isFinite(hard) ? String(hard) : 'unlimited';
  execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${needed}:${hardText}`]);
  return openFilesLimit().soft;
}
