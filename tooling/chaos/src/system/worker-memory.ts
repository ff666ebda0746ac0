import { httpRequest } from '@koa-fleet/testkit';

/** A worker's memory right after a full collection. */
export interface WorkerMemory {
  /** Whether it did collect (the fleet runs with `--expose-gc`). */
  collected: boolean;
  heapUsed: number;
  rss: number;
}

/**
 * Has every worker run a full garbage collection (fixtures/system-app.mjs `POST /chaos/memory`,
 * a fleet started with `--expose-gc` in NODE_OPTIONS) and report its memory: what it still
 * holds, not garbage that no allocation has made it collect yet.
 */
export async function collectWorkerGarbage(workerUrls: readonly string[]): Promise<WorkerMemory[]> {
  return Promise.all(
    workerUrls.map(async (url) =>
      (await httpRequest(`${url}/chaos/memory`, { method: 'POST' })).json<WorkerMemory>(),
    ),
  );
}
