import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The demo's run directory: the fleet's pid file and control socket, removed at the end. */
export interface RunDir {
  path: string;
  /** Holds the primary's pid; the control socket is `<pidFile>.sock`. */
  pidFile: string;
  remove(): void;
}

/** A fresh directory per run, so two demos (or a demo and its tests) never share a socket. */
export function createRunDir(): RunDir {
  const path = mkdtempSync(join(tmpdir(), 'koa-fleet-demo-'));
  const pidFile = join(path, 'fleet.pid');
  writeFileSync(pidFile, `${process.pid}\n`);
  return { path, pidFile, remove: () => rmSync(path, { recursive: true, force: true }) };
}
