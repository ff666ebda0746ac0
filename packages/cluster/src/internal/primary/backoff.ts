export interface BackoffPolicy {
  /** Delay before the first restart, ms. */
  initial: number;
  /** Ceiling, ms. */
  max: number;
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so restarts of
 * many slots that crashed together (a bad dependency) do not stampede in lockstep.
 * `attempt` is 1 for the first restart.
 */
export function restartDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(policy.max, policy.initial * 2 ** Math.max(0, attempt - 1));
  const half = exponential / 2;
  return Math.round(half + random() * half);
}
