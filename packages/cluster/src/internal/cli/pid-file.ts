import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { controlSocketPath } from '@koa-fleet/contracts';
import { PidFileError } from '../../errors.js';

/** sun_path holds 108 bytes on Linux and 104 on macOS, the terminating NUL included. */
const MAX_SOCKET_PATH_BYTES = process.platform === 'linux' ? 107 : 103;

/**
 * Writes the primary's pid, before anything forks, so a pid file that cannot work is a usage
 * error at once instead of a failure after the workers started. Throws PidFileError saying why.
 */
export function writePidFile(pidFile: string): void {
  const socket = controlSocketPath(resolve(pidFile));
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH_BYTES) {
    throw new PidFileError(
      pidFile,
      `its control socket ${socket} is longer than the ${MAX_SOCKET_PATH_BYTES} bytes a unix socket path may have`,
    );
  }
  const running = readPid(pidFile);
  if (running !== undefined && running !== process.pid && isRunning(running)) {
    throw new PidFileError(pidFile, `names primary ${running}, which is still running`);
  }
  try {
    writeFileSync(pidFile, `${process.pid}\n`);
  } catch (error) {
    throw new PidFileError(pidFile, whyUnwritable(pidFile, error as NodeJS.ErrnoException));
  }
}

function whyUnwritable(pidFile: string, error: NodeJS.ErrnoException): string {
  const directory = dirname(resolve(pidFile));
  switch (error.code) {
    case 'ENOENT':
    case 'ENOTDIR': {
      const blocker = firstNonDirectory(directory);
      return blocker ? `${blocker} is not a directory` : `directory ${directory} does not exist`;
    }
    case 'EACCES':
    case 'EPERM':
      return `no permission to write in ${directory}`;
    case 'EISDIR':
      return 'it is a directory';
    case 'EROFS':
      return `${directory} is on a read-only file system`;
    default:
      return error.message;
  }
}

/** The closest existing ancestor of `directory` when it is a file (ENOTDIR), else undefined. */
function firstNonDirectory(directory: string): string | undefined {
  for (let path = directory; ; path = dirname(path)) {
    try {
      return statSync(path).isDirectory() ? undefined : path;
    } catch {
      if (dirname(path) === path) return undefined;
    }
  }
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
