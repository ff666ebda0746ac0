import { fileURLToPath } from 'node:url';
import { spawnNode, type NodeProcess } from '../src/index.js';

export const fixture = (name: string): string =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Starts the counting HTTP server fixture and returns it with the port it listens on. */
export async function startCountingServer(
  env: Record<string, string> = {},
): Promise<{ node: NodeProcess; port: number }> {
  const node = await spawnNode(fixture('counting-server.mjs'), {
    env,
    readyLine: /listening on (\d+)/,
  });
  const match = (await node.waitForLine(/listening on (\d+)/)) as RegExpMatchArray;
  return { node, port: Number(match[1]) };
}
