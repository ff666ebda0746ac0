import { spawnNode } from '@koa-fleet/testkit';
import { ServerStartError } from '../errors.js';
import { waitForGroupExit } from '../internal/wait-for-group-exit.js';
import type { Contender, RunningServer, StartContext } from '../scenario.js';

export interface NodeServerOptions {
  name: string;
  description: string;
  /** Absolute path of the server file; it listens on PORT/HOST and prints `ready` when it does. */
  entry: string;
  env?: Record<string, string>;
  /** The line the server prints once it listens, if not one starting with `ready`. */
  readyLine?: RegExp;
  /**
   * Gives the server a `reload()`: this signal goes to the server's own process (not its
   * group), and the server prints `reload <n> ok` or `reload <n> failed: <why>` for its n-th
   * reload (counting from 1) once it finished.
   */
  reloadSignal?: NodeJS.Signals;
}

/** How long a reload may take before `reload()` rejects. */
const RELOAD_TIMEOUT_MS = 120_000;

/** A contender that is one `node <entry>` process tree (its own process group, killed whole). */
export function nodeServer(options: NodeServerOptions): Contender {
  const { name, description, entry, env = {}, readyLine = /^ready\b/m, reloadSignal } = options;
  return {
    name,
    description,
    async start({ port, env: fixtureEnv = {} }: StartContext): Promise<RunningServer> {
      try {
        const child = await spawnNode(entry, {
          env: {
            ...fixtureEnv,
            ...env,
            PORT: String(port),
            HOST: '127.0.0.1',
            NODE_ENV: 'production',
          },
          readyLine,
          timeout: 60_000,
        });
        const stop = async (): Promise<void> => {
          await child.stop();
          await waitForGroupExit(child.pid);
        };
        const server: RunningServer = { url: `http://127.0.0.1:${port}`, stop };
        if (reloadSignal) {
          let reloads = 0;
          server.reload = async () => {
            const n = ++reloads;
            process.kill(child.pid, reloadSignal);
            const line = await child.waitForLine(new RegExp(`^reload ${n} (ok|failed.*)$`, 'm'), {
              timeout: RELOAD_TIMEOUT_MS,
            });
            const outcome = typeof line === 'string' ? line : (line[1] ?? '');
            if (outcome !== 'ok') throw new Error(`contender "${name}": reload ${n} ${outcome}`);
          };
        }
        return server;
      } catch (error) {
        throw ServerStartError.of(name, error);
      }
    },
  };
}
