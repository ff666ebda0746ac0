import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The demo's run directory: each fleet's pid file and control socket, removed at the end. */
export interface RunDir {
  path: string;
  /** Where fleet `name` keeps its primary's pid; its control socket is `<pid file>.sock`. */
  pidFile(name: string): string;
  remove(): void;
}

/** A fresh directory per run, so two demos (or a demo and its tests) never share a socket. */
export function createRunDir(): RunDir {
  const path = mkdtempSync(join(tmpdir(), 'koa-fleet-demo-'));
  return {
    path,
    pidFile: (name) => join(path, `${name}.pid`),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
