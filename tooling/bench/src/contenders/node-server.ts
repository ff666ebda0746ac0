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
}

/** A contender that is one `node <entry>` process tree (its own process group, killed whole). */
export function nodeServer(options: NodeServerOptions): Contender {
  const { name, description, entry, env = {} } = options;
  return {
    name,
    description,
    async start({ port }: StartContext): Promise<RunningServer> {
      try {
        const child = await spawnNode(entry, {
          env: { ...env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
          readyLine: /^ready\b/m,
          timeout: 60_000,
        });
        const stop = async (): Promise<void> => {
          await child.stop();
          await waitForGroupExit(child.pid);
        };
        return { url: `http://127.0.0.1:${port}`, stop };
      } catch (error) {
        throw new ServerStartError(`contender "${name}" did not start: ${String(error)}`, {
          cause: error,
        });
      }
    },
  };
}
