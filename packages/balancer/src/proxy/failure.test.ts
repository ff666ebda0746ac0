import { describe, expect, it } from 'vitest';
import { UpstreamIoError } from '../upstream/upstream-io-error.js';
import { classifyError, failureError } from './failure.js';

const coded = (code: string) => Object.assign(new Error(code), { code }) as Error;

describe('classifyError', () => {
  it('tells a refused connection (nothing sent) from a reset after sending', () => {
    expect(classifyError(coded('ECONNREFUSED'), false, false)).toMatchObject({
      kind: 'connect',
      sent: false,
    });
    expect(classifyError(coded('ECONNRESET'), true, true)).toMatchObject({
      kind: 'reset',
      sent: true,
      reused: true,
    });
    const closed = new UpstreamIoError('closed', 'the backend closed the connection');
    expect(classifyError(closed, true, false)).toMatchObject({ kind: 'reset' });
    expect(classifyError(closed, false, false)).toMatchObject({ kind: 'connect' });
  });

  it('names the phase of a timeout, and answers 504 for it', () => {
    const failure = classifyError(new UpstreamIoError('headers-timeout', 'late'), true, false);
    expect(failure).toMatchObject({ kind: 'timeout', phase: 'headers' });
    expect(classifyError(new UpstreamIoError('idle-timeout', 'late'), true, false)).toMatchObject({
      phase: 'idle',
    });
    expect(failureError(failure, 'http://a:1')).toMatchObject({
      status: 504,
      code: 'KF_BALANCER_UPSTREAM_TIMEOUT',
    });
    expect(
      classifyError(new UpstreamIoError('connect-timeout', 'late'), false, false),
    ).toMatchObject({
      kind: 'timeout',
      phase: 'connect',
      sent: false,
    });
  });

  it('calls a response that is not HTTP invalid (502)', () => {
    const failure = classifyError(new UpstreamIoError('invalid', 'not HTTP'), true, true);
    expect(failure).toMatchObject({ kind: 'invalid', reused: true });
    expect(failureError(failure, 'http://a:1')).toMatchObject({
      status: 502,
      code: 'KF_BALANCER_UPSTREAM_INVALID',
    });
  });
});
