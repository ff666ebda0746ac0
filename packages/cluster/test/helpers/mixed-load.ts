import { runLoad, type LoadResult } from '@koa-fleet/testkit';

export interface MixedLoad {
  result: Promise<LoadResult>;
  /** True once the load has ended, so a test can tell a reload finished while it still ran. */
  done(): boolean;
}

/** The reload tests' load: 64 keep-alive connections alternating GET and a 2 KB POST for 30 s. */
export function startMixedLoad(url: string): MixedLoad {
  let ended = false;
  const result = runLoad({
    url,
    connections: 64,
    duration: 30,
    requests: [
      { method: 'GET', path: '/' },
      {
        method: 'POST',
        path: '/',
        body: 'x'.repeat(2048),
        headers: { 'content-type': 'text/plain' },
      },
    ],
  }).finally(() => (ended = true));
  return { result, done: () => ended };
}
