import { setTimeout as sleep } from 'node:timers/promises';
import { httpRequest } from '@koa-fleet/testkit';

export interface ReadinessWatch {
  /** The workers (by URL) whose /readyz answered anything but 200 at least once. */
  readonly red: ReadonlySet<string>;
  /** Stops polling; resolves once the last poll is answered. */
  stop(): Promise<void>;
}

/** Polls each URL's `/readyz` every `intervalMs` on a fresh connection, noting who turned red. */
export function watchReadiness(urls: readonly string[], intervalMs = 100): ReadinessWatch {
  const red = new Set<string>();
  let running = true;
  const loops = urls.map(async (url) => {
    while (running) {
      const status = await readinessOf(url);
      if (status !== 200) red.add(url);
      await sleep(intervalMs);
    }
  });
  return {
    red,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** `/readyz`'s status, or 0 when nothing answered. */
export async function readinessOf(url: string): Promise<number> {
  try {
    return (await httpRequest(`${url}/readyz`, { timeout: 5_000 })).status;
  } catch {
    return 0;
  }
}
