/** Polls `condition` until it holds; fails with `what` after a generous `timeout` (never a timing assertion). */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeout = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
