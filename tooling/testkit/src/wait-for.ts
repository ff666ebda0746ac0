import { waitUntil } from './internal/wait-until.js';

/**
 * Re-checks `condition` until it holds, for a state no event announces (a counter reaching a
 * value, a socket closing); fails naming `what` after a generous `timeout`. Never a timing
 * assertion: the deadline only stops a test that would otherwise hang.
 */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeout = 30_000,
): Promise<void> {
  await waitUntil(what, async () => ((await condition()) ? true : undefined), {
    timeout,
    interval: 20,
  });
}
