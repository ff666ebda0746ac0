import { describe, expect, it } from 'vitest';
import { parseMessage } from './protocol.js';

describe('parseMessage', () => {
  it('leaves messages of other libraries alone', () => {
    expect(parseMessage({ cmd: 'NODE_CLUSTER' }).kind).toBe('foreign');
    expect(parseMessage('hello').kind).toBe('foreign');
    expect(parseMessage(null).kind).toBe('foreign');
    expect(parseMessage({ kf: 2, kind: 'req' }).kind).toBe('foreign');
  });

  it('accepts well-formed requests, replies and casts', () => {
    const req = {
      kf: 1,
      kind: 'req',
      id: 1,
      namespace: 'session',
      type: 'get',
      payload: { sid: 'a' },
    };
    expect(parseMessage(req)).toEqual({ kind: 'message', message: req });
    const fail = {
      kf: 1,
      kind: 'res',
      id: 1,
      namespace: 'session',
      type: 'get',
      ok: false,
      error: { message: 'x' },
    };
    expect(parseMessage(fail).kind).toBe('message');
    expect(parseMessage({ kf: 1, kind: 'cast', id: 0, namespace: 'n', type: 't' }).kind).toBe(
      'message',
    );
  });

  it('names the broken field of a malformed koa-fleet message', () => {
    expect(parseMessage({ kf: 1, kind: 'shout', id: 1, namespace: 'n', type: 't' })).toEqual({
      kind: 'malformed',
      reason: 'field "kind" is invalid: "shout"',
    });
    expect(
      parseMessage({ kf: 1, kind: 'req', id: 'one', namespace: 'n', type: 't' }),
    ).toMatchObject({
      reason: 'field "id" is invalid: "one"',
    });
    expect(parseMessage({ kf: 1, kind: 'req', id: 1, namespace: '', type: 't' })).toMatchObject({
      reason: 'field "namespace" is invalid: ""',
    });
    expect(
      parseMessage({ kf: 1, kind: 'res', id: 1, namespace: 'n', type: 't', ok: false }),
    ).toMatchObject({
      reason: 'field "error" is invalid: undefined',
    });
  });
});
