// What the `balancer` scenario's proxies share: the backends they balance over (BACKENDS, the
// URLs the scenario's fixture started, comma-separated) and where they listen (PORT/HOST).
export function backendsFromEnv() {
  const backends = (process.env.BACKENDS ?? '').split(',').filter(Boolean);
  if (backends.length === 0) throw new Error('BACKENDS must list the backend URLs');
  return backends;
}

export const port = Number(process.env.PORT);
export const host = process.env.HOST ?? '127.0.0.1';

/** The line nodeServer waits for. */
export function printReady() {
  console.log(`ready pid=${process.pid}`);
}
