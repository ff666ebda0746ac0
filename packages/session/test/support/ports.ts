import { freePort, isPortFree } from '@koa-fleet/testkit';

/** A free port whose successor is free too, for a 2-worker fleet with per-worker ports. */
export async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await freePort('127.0.0.1');
    if (port < 65_535 && (await isPortFree(port + 1, '127.0.0.1'))) return port;
  }
}
