import { describe, expect, it } from 'vitest';
import type { Failure } from './failure.js';
import { resolveRetry, RetryPolicy, type RetryOptions } from './retry-policy.js';

const policy = (options: RetryOptions = {}) => new RetryPolicy(resolveRetry(options));
const state = (method = 'GET', extra = {}) => ({
  method,
  replayable: true,
  tries: 1,
  startedAt: Date.now(),
  ...extra,
});
const cause = new Error('x');
const refused: Failure = { kind: 'connect', sent: false, cause };
const reset: Failure = { kind: 'reset', sent: true, reused: false, cause };

describe('RetryPolicy (nginx proxy_next_upstream)', () => {
  it('retries a connect failure for any method, since nothing was sent', () => {
    expect(policy().mayRetry(refused, state('POST'))).toBe(true);
  });

  it('does not retry POST, PATCH or LOCK once sent, unless non_idempotent is listed', () => {
    for (const method of ['POST', 'PATCH', 'LOCK']) {
      expect(policy().mayRetry(reset, state(method))).toBe(false);
    }
    expect(policy().mayRetry(reset, state('PUT'))).toBe(true);
    expect(
      policy({ nextUpstream: ['error', 'non_idempotent'] }).mayRetry(reset, state('POST')),
    ).toBe(true);
  });

  it('does not retry a streamed body once sent', () => {
    expect(policy().mayRetry(reset, state('PUT', { replayable: false }))).toBe(false);
  });

  it('retries only what is listed, nothing with "off"', () => {
    const timeout: Failure = { kind: 'timeout', sent: true, phase: 'headers', cause };
    const status: Failure = { kind: 'status', sent: true, status: 502 };
    expect(policy({ nextUpstream: ['error'] }).mayRetry(timeout, state())).toBe(false);
    expect(policy().mayRetry(status, state())).toBe(false);
    expect(policy({ nextUpstream: ['http_502'] }).mayRetry(status, state())).toBe(true);
    expect(policy({ nextUpstream: ['off'] }).mayRetry(refused, state())).toBe(false);
  });

  it('stops at tries and at nextUpstreamTimeout', () => {
    expect(policy({ tries: 2 }).mayRetry(reset, state('GET', { tries: 2 }))).toBe(false);
    expect(policy({ tries: 3 }).mayRetry(reset, state('GET', { tries: 2 }))).toBe(true);
    const old = { startedAt: Date.now() - 5_000 };
    expect(policy({ nextUpstreamTimeout: '1s' }).mayRetry(reset, state('GET', old))).toBe(false);
  });

  it('counts errors and timeouts as failures, a status only when listed and never 403 or 404', () => {
    const listed = policy({ nextUpstream: ['error', 'http_500', 'http_404'] });
    expect(listed.countsAsFailure(reset)).toBe(true);
    expect(listed.countsAsFailure({ kind: 'status', sent: true, status: 500 })).toBe(true);
    expect(listed.countsAsFailure({ kind: 'status', sent: true, status: 404 })).toBe(false);
    expect(listed.countsAsFailure({ kind: 'status', sent: true, status: 503 })).toBe(false);
    expect(listed.countsAsFailure({ kind: 'timeout', sent: true, phase: 'total', cause })).toBe(
      false,
    );
  });

  it('names a wrong nextUpstream entry by its index', () => {
    expect(() => resolveRetry({ nextUpstream: ['error', 'http_999' as 'off'] })).toThrowError(
      /^option "nextUpstream\[1\]" must be one of "error", "timeout"/,
    );
    expect(() => resolveRetry({ nextUpstream: ['off', 'error'] })).toThrowError(/"off"\] alone/);
  });
});
