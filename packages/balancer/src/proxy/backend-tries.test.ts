import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { BackendSet } from '../backend-set.js';
import { resolveForwarding } from '../headers/forwarded-headers.js';
import { SmoothWeighted } from '../strategies/smooth-weighted.js';
import { BackendTries } from './backend-tries.js';
import type { Failure } from './failure.js';
import type { ExchangeReporter } from './proxy-context.js';
import { resolveRetry, RetryPolicy, type RetryOptions } from './retry-policy.js';

const refused: Failure = { kind: 'connect', sent: false, cause: new Error('refused') };

function tries(retry: RetryOptions = {}) {
  const backends = new BackendSet(
    ['a', 'b'].map((name) => ({
      url: `http://${name}.test:80`,
      weight: 1,
      backup: false,
      maxConns: 0,
      slowStartMs: 0,
      health: { maxFails: 1, failTimeoutMs: 10_000 },
    })),
    () => {},
  );
  const reported: [string, boolean][] = [];
  const reporter: ExchangeReporter = {
    tryFailed: (error, backend, _request, retried) => reported.push([backend.url, retried]),
    answered: () => {},
    responded: () => {},
    unexpected: () => {},
  };
  const req = { headers: {}, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;
  const request = { method: 'GET', url: '/', requestId: undefined };
  const proxy = {
    backends,
    strategy: new SmoothWeighted(),
    retry: new RetryPolicy(resolveRetry(retry)),
    reporter,
    forwarding: resolveForwarding({}),
  };
  return { tries: new BackendTries(proxy, req, request), backends, reported };
}

describe('BackendTries', () => {
  it('goes on to the backend not tried yet, then answers with the last failure', () => {
    const { tries: order, reported } = tries();
    const first = order.first()!;
    const after = order.failed(first, refused);
    expect(after).toHaveProperty('next');
    const second = (after as { next: typeof first }).next;
    expect(second).not.toBe(first);
    expect(order.state.tries).toBe(2);
    expect(order.failed(second, refused)).toMatchObject({
      error: { code: 'KF_BALANCER_UPSTREAM_REFUSED' },
    });
    expect(reported).toEqual([
      [first.url, true],
      [second.url, false],
    ]);
  });

  it('counts a failure against the backend, and an answer as a success', () => {
    const { tries: order } = tries();
    const first = order.first()!;
    order.failed(first, refused);
    expect(first.state).toBe('down');
    const { tries: again } = tries({ nextUpstream: ['error', 'http_503'] });
    const peer = again.first()!;
    again.answered(peer, 503);
    expect(peer.state).toBe('down');
  });

  it('lets a listed status go to the next backend only while there is one', () => {
    const { tries: order } = tries({ nextUpstream: ['error', 'http_503'] });
    const first = order.first()!;
    expect(order.accepts(first, 503, {})).toBe(false);
    expect(order.accepts(first, 200, {})).toBe(true);
    const second = (
      order.failed(first, { kind: 'status', sent: true, status: 503 }) as {
        next: typeof first;
      }
    ).next;
    expect(order.accepts(second, 503, {})).toBe(true); // the last one: its answer is passed on
  });

  it('takes a backend out at once when its answer carries the drain header', () => {
    const { tries: order } = tries();
    const first = order.first()!;
    expect(order.accepts(first, 200, { 'fleet-draining': '1' })).toBe(true);
    expect(first.state).toBe('draining');
  });

  it('has no first backend when none is available', () => {
    const { tries: order, backends } = tries();
    for (const peer of backends.peers) peer.health.draining();
    expect(order.first()).toBeUndefined();
  });
});
