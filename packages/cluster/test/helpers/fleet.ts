import { fileURLToPath } from 'node:url';
import { NodeProcess } from './node-process.js';

export const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** Starts test/fixtures/primary.mjs with startFleet options (host 127.0.0.1 unless given). */
export function startPrimary(
  options: Record<string, unknown>,
  script = 'primary.mjs',
): NodeProcess {
  return new NodeProcess([
    fixture(script),
    JSON.stringify({ host: '127.0.0.1', logLevel: 'debug', ...options }),
  ]);
}

/** True while a process with that pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
