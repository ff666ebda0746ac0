/**
 * `balancer[FAILED_ELSEWHERE](url)`: another balancer process of the fleet took the backend out
 * (see fleet/fleet-worker.ts); a symbol, so it stays off the public API.
 */
export const FAILED_ELSEWHERE: unique symbol = Symbol('koa-fleet.balancer.failed-elsewhere');
