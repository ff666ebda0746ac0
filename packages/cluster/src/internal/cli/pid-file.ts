import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/** The pid file names the primary; its control socket lives next to it. */
export function controlSocketPath(pidFile: string): string {
  return `${pidFile}.sock`;
}

export function writePidFile(pidFile: string): void {
  const running = readPid(pidFile);
  if (running !== undefined && running !== process.pid && isRunning(running)) {
    throw new Error(`pid file ${pidFile} names primary ${running}, which is still running`);
  }
  writeFileSync(pidFile, `${process.pid}\n`);
}

export function removePidFile(pidFile: string): void {
  if (readPid(pidFile) === process.pid) rmSync(pidFile, { force: true });
  rmSync(controlSocketPath(pidFile), { force: true });
}

export function readPid(pidFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
