import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/**
 * Every server and process the kit starts, so none outlives the test process: `stopAll()` stops
 * them politely, and an exit/signal hook SIGKILLs whatever is left even when a test failed or
 * timed out. Children are spawned `detached` (own process group) so one kill also reaches
 * grandchildren such as nginx workers.
 */
export interface Stoppable {
  stop(): Promise<void>;
}

const running = new Set<Stoppable>();
const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

export function track(resource: Stoppable): () => void {
  running.add(resource);
  installExitHooks();
  return () => running.delete(resource);
}

export function trackChild(child: ChildProcess): void {
  children.add(child);
  installExitHooks();
  child.once('exit', () => children.delete(child));
}

export function trackTempDir(dir: string): () => void {
  tempDirs.add(dir);
  installExitHooks();
  return () => {
    tempDirs.delete(dir);
    rmSync(dir, { recursive: true, force: true });
  };
}

/** Kills a child's whole process group; safe to call on an already dead child. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

export async function stopAll(): Promise<void> {
  const results = await Promise.allSettled([...running].map((resource) => resource.stop()));
  killEverythingNow();
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}

function killEverythingNow(): void {
  for (const child of children) killGroup(child, 'SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

let hooksInstalled = false;

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killEverythingNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killEverythingNow();
      process.off(signal, onSignal);
      // Only take over the default "die on signal" when nobody else handles it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
