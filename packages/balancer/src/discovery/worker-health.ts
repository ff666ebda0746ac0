import type { AdminFleetWorkerHealth } from './discovery-types.js';
import type { LinkWorker } from './fleet-link.js';

/** `@koa-fleet/health`'s media type: with it, `/healthz` answers its checks. */
const HEALTH_JSON = 'application/health+json';
const HEALTH_TIMEOUT_MS = 2_000;

/** A worker's health answer, read over HTTP from its own port; a failure says why. */
export async function workerHealth(
  worker: LinkWorker,
  path: string,
): Promise<AdminFleetWorkerHealth> {
  const { workerId, pid, url } = worker;
  const base = { workerId, pid, url };
  try {
    const response = await fetch(`${url}${path}`, {
      headers: { accept: HEALTH_JSON },
      signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
    });
    const text = await response.text();
    let body: { status?: unknown; checks?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return { ...base, httpStatus: response.status, error: `not JSON: ${text.slice(0, 80)}` };
    }
    return {
      ...base,
      httpStatus: response.status,
      ...(typeof body.status === 'string' && { status: body.status }),
      ...(typeof body.checks === 'object' &&
        body.checks !== null && { checks: body.checks as Record<string, unknown[]> }),
    };
  } catch (error) {
    const { message, cause } = error as Error & { cause?: Error };
    return { ...base, error: cause?.message ?? message };
  }
}
