import type { ChildProcess } from 'node:child_process';
import { InvalidOptionError } from './errors.js';
import { ipBinary } from './netns-available.js';
import { track } from './internal/registry.js';
import { SupervisedChild, type ExitStatus } from './internal/supervised-child.js';

export interface NodeProcess {
  pid: number;
  child: ChildProcess;
  /** Output collected so far. */
  stdout(): string;
  stderr(): string;
  /** stdout and stderr interleaved in arrival order. */
  output(): string;
  /** Searches output so far and future; a timeout error includes the collected output. */
  waitForLine(
    pattern: RegExp | string,
    options?: { timeout?: number },
  ): Promise<RegExpMatchArray | string>;
  waitForExit(options?: { timeout?: number }): Promise<ExitStatus>;
  /** Signals the process group (default SIGTERM) without waiting. */
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `timeout` (default 10 s); resolves once it has exited. */
  stop(options?: { timeout?: number }): Promise<void>;
}

export interface SpawnNodeOptions {
  args?: string[];
  /** Added to the parent's environment. */
  env?: Record<string, string>;
  cwd?: string;
  /** Resolve only once the output matches this. */
  readyLine?: RegExp | string;
  /** How long to wait for `readyLine`, in ms (default 30 000). */
  timeout?: number;
  execArgv?: string[];
  /**
   * Run inside this network namespace (`ip netns exec <netns> node …`; needs root). `ip` execs
   * node in place, so `pid`, signals and `stop()` are node's as without it.
   */
  netns?: string;
}

/** What `ip netns add` accepts as a name, and nothing a shell or `ip` would read otherwise. */
const NETNS_NAME = /^[A-Za-z0-9][\w.-]{0,63}$/;

/** Spawns `entry` with this process's node and collects its output. */
export async function spawnNode(
  entry: string,
  options: SpawnNodeOptions = {},
): Promise<NodeProcess> {
  if (typeof entry !== 'string' || entry.length === 0)
    throw new InvalidOptionError('entry', 'a non-empty string', entry);
  const { args = [], env = {}, cwd, readyLine, timeout = 30_000, execArgv = [], netns } = options;
  if (!Number.isInteger(timeout) || timeout <= 0)
    throw new InvalidOptionError('timeout', 'a positive integer (ms)', timeout);
  if (readyLine !== undefined && typeof readyLine !== 'string' && !(readyLine instanceof RegExp)) {
    throw new InvalidOptionError('readyLine', 'a string or a RegExp', readyLine);
  }
  if (netns !== undefined && (typeof netns !== 'string' || !NETNS_NAME.test(netns))) {
    throw new InvalidOptionError('netns', 'a network namespace name ([A-Za-z0-9_.-])', netns);
  }
  const nodeArgs = [...execArgv, entry, ...args];
  const [command, commandArgs] =
    netns === undefined
      ? [process.execPath, nodeArgs]
      : [ipBinary(), ['netns', 'exec', netns, process.execPath, ...nodeArgs]];
  const supervised = new SupervisedChild(command, commandArgs, {
    cwd,
    env: { ...process.env, ...env },
  });
  const node = trackedProcess(supervised);
  if (readyLine !== undefined) {
    try {
      await supervised.waitForLine(readyLine, { timeout });
    } catch (error) {
      await node.stop();
      throw error;
    }
  }
  return node;
}

/** The NodeProcess face of a supervised child, tracked so stopAll() stops it. */
export function trackedProcess(supervised: SupervisedChild): NodeProcess {
  const node: NodeProcess = {
    pid: supervised.pid,
    child: supervised.child,
    stdout: () => supervised.stdout(),
    stderr: () => supervised.stderr(),
    output: () => supervised.output(),
    waitForLine: (pattern, waitOptions) => supervised.waitForLine(pattern, waitOptions),
    waitForExit: (waitOptions) => supervised.waitForExit(waitOptions),
    kill: (signal) => supervised.kill(signal),
    stop: async (stopOptions) => {
      await supervised.stop(stopOptions);
      untrack();
    },
  };
  const untrack = track(node);
  return node;
}
