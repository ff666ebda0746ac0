import { httpRequest } from '@koa-fleet/testkit';

/** What one worker's HTTP parser accepted (fixtures/system-app.mjs `GET /chaos/seen`). */
export interface WorkerRequests {
  pid: number;
  total: number;
  paths: Record<string, number>;
}

/** Each worker's accepted requests, asked on its own port. */
export async function workerRequests(workerUrls: readonly string[]): Promise<WorkerRequests[]> {
  return Promise.all(
    workerUrls.map(async (url) => (await httpRequest(`${url}/chaos/seen`)).json<WorkerRequests>()),
  );
}
