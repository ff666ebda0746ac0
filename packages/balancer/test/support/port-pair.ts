import { freePort, isPortFree } from '@koa-fleet/testkit';

/** Two free ports in a row, as a fleet's --per-worker-ports needs for two workers. */
export async function portPair(): Promise<[number, number]> {
  for (;;) {
    const first = await freePort();
    if (await isPortFree(first + 1)) return [first, first + 1];
  }
}
