import { httpRequest } from '@koa-fleet/testkit';

/**
 * The pid serving each worker URL now (`GET /hello` on its own port): compared before and after a
 * fault, a changed pid is a worker that crashed or was replaced.
 */
export async function workerPids(urls: readonly string[]): Promise<number[]> {
  return Promise.all(
    urls.map(async (url) => (await httpRequest(`${url}/hello`)).json<{ pid: number }>().pid),
  );
}
