import { describe, expect, it } from 'vitest';
import { classifyError, failureError } from './failure.js';

const coded = (code: string, name = 'Error') =>
  Object.assign(new Error(code), { code, name }) as Error;

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
    expect(classifyError(coded('UND_ERR_SOCKET'), true, false)).toMatchObject({ kind: 'reset' });
  });

  it('names the phase of a timeout, and answers 504 for it', () => {
    const failure = classifyError(coded('UND_ERR_HEADERS_TIMEOUT'), true, false);
    expect(failure).toMatchObject({ kind: 'timeout', phase: 'headers' });
    expect(failureError(failure, 'http://a:1')).toMatchObject({
      status: 504,
      code: 'KF_BALANCER_UPSTREAM_TIMEOUT',
    });
    expect(classifyError(coded('UND_ERR_CONNECT_TIMEOUT'), false, false)).toMatchObject({
      kind: 'timeout',
      phase: 'connect',
      sent: false,
    });
  });

  it('calls a response that is not HTTP invalid (502)', () => {
    const failure = classifyError(coded('HPE_INVALID_CONSTANT', 'HTTPParserError'), true, false);
    expect(failureError(failure, 'http://a:1')).toMatchObject({
      status: 502,
      code: 'KF_BALANCER_UPSTREAM_INVALID',
    });
  });
});
