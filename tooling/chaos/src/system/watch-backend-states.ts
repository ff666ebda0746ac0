import { get, type IncomingMessage } from 'node:http';
import type { AdminStateEvent, AdminStatsEvent } from '@koa-fleet/balancer';
import { waitFor } from '@koa-fleet/testkit';
import { AdminStreamError } from '../errors.js';

/** A backend's state as the admin API says it: `up`, `down`, `draining` (and `slow-start` in stats). */
export type BackendStateName = AdminStateEvent['state'] | 'slow-start';

export interface BackendStateWatch {
  /** Every `backend-state` event since the watch began, in order. */
  changes: AdminStateEvent[];
  /** The backend's state now: its last `backend-state` event, else the first stats. */
  state(url: string): BackendStateName | undefined;
  /** Resolves once each of `urls` is in one of `states`; fails after `timeout` (ms, default 30 s). */
  until(
    urls: readonly string[],
    states: readonly BackendStateName[],
    timeout?: number,
  ): Promise<void>;
  close(): void;
}

/**
 * Follows the balancer's admin event stream (`GET /api/v1/events`): the order in which backends
 * went down and came back, as the balancer decided it — not as a poll happened to see it.
 */
export async function watchBackendStates(adminUrl: string): Promise<BackendStateWatch> {
  const states = new Map<string, BackendStateName>();
  const changes: AdminStateEvent[] = [];
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const request = get(`${adminUrl}/api/v1/events`, { agent: false }, resolve);
    request.once('error', reject);
  });
  if (response.statusCode !== 200) {
    response.resume();
    throw new AdminStreamError(`GET ${adminUrl}/api/v1/events answered ${response.statusCode}`);
  }
  let buffer = '';
  let sawStats = false;
  const onEvent = (event: string, data: string): void => {
    if (event === 'backend-state') {
      const change = JSON.parse(data) as AdminStateEvent;
      changes.push(change);
      states.set(change.backend, change.state);
    } else if (event === 'stats' && !sawStats) {
      sawStats = true;
      for (const backend of (JSON.parse(data) as AdminStatsEvent).backends) {
        if (!states.has(backend.url)) states.set(backend.url, backend.state);
      }
    }
  };
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const field = (name: string) =>
        block
          .split('\n')
          .find((line) => line.startsWith(`${name}: `))
          ?.slice(name.length + 2);
      const event = field('event');
      const data = field('data');
      if (event && data) onEvent(event, data);
    }
  });
  response.on('error', () => {}); // close() destroys it
  await waitFor('the first stats on the admin event stream', () => sawStats);
  return {
    changes,
    state: (url) => states.get(url),
    until: (urls, wanted, timeout = 30_000) =>
      waitFor(
        `${urls.join(', ')} to be ${wanted.join(' or ')}`,
        () => urls.every((url) => wanted.includes(states.get(url) as BackendStateName)),
        timeout,
      ),
    close: () => response.destroy(),
  };
}
