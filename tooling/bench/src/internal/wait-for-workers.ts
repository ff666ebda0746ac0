import { get } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Resolves once `count` different processes have answered `GET <url>/pid`, each on a fresh
 * connection so the cluster's round-robin hands them to different workers. For servers that
 * print no ready line of their own (PM2 starts them in its daemon). Returns the pids seen.
 */
export async function waitForWorkers(
  url: string,
  count: number,
  timeoutMs = 60_000,
): Promise<Set<number>> {
  const pids = new Set<number>();
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer yet';
  while (pids.size < count) {
    if (Date.now() > deadline) {
      throw new Error(`${pids.size} of ${count} workers answered ${url}/pid (${lastError})`);
    }
    try {
      pids.add(await fetchPid(`${url}/pid`));
    } catch (error) {
      lastError = String(error);
      await delay(100); // not listening yet: retry shortly rather than spin
    }
  }
  return pids;
}

function fetchPid(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false, timeout: 5_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        const pid = (JSON.parse(body) as { pid?: unknown }).pid;
        if (typeof pid === 'number') resolve(pid);
        else reject(new Error(`unexpected /pid answer: ${body}`));
      });
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
  });
}
