import { setTimeout as delay } from 'node:timers/promises';
import { WaitTimeoutError } from '../errors.js';

/**
 * Re-checks an outside condition (a port accepting, a cluster agreeing) until it holds. Used
 * only where no event tells us; the deadline is generous because the machine is shared.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  {
    timeout = 30_000,
    interval = 50,
    abortIf,
  }: { timeout?: number; interval?: number; abortIf?: () => Error | undefined } = {},
): Promise<T> {
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    const aborted = abortIf?.();
    if (aborted) throw aborted;
    try {
      const result = await probe();
      if (result !== undefined) return result;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new WaitTimeoutError(`timed out after ${timeout} ms waiting for ${what}${reason}`);
    }
    await delay(interval);
  }
}
