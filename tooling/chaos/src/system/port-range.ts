import { freePort, isPortFree } from '@koa-fleet/testkit';

/** `count` free ports in a row, as a fleet's --per-worker-ports needs for `count` workers. */
export async function portRange(count: number): Promise<number[]> {
  for (;;) {
    const first = await freePort();
    const ports = Array.from({ length: count }, (_, index) => first + index);
    const free = await Promise.all(ports.slice(1).map((port) => isPortFree(port)));
    if (free.every(Boolean)) return ports;
  }
}
