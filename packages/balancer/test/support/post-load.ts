import { runLoad } from '@koa-fleet/testkit';

/**
 * Keep-alive POST load for `seconds`, and how much of it failed: a POST once sent is never
 * retried on another backend, so a request a change cut shows as failed.
 */
export async function postLoad(url: string, seconds = 3) {
  const result = await runLoad({
    url,
    connections: 8,
    duration: seconds,
    method: 'POST',
    body: '{"work":1}',
    headers: { 'content-type': 'application/json' },
  });
  return { result, failed: result.errors + result.timeouts + result.resets + result.non2xx };
}
