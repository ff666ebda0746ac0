import { describe, expect, it } from 'vitest';
import { SessionBackendError, SessionConflictError, SessionUnavailableError } from '../errors.js';
import { classifyFailure, UNAVAILABLE_MESSAGE } from './failure.js';

const replyError = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });

describe('classifyFailure', () => {
  it('answers 503 for a backend that cannot serve, keeping why as the cause', () => {
    for (const cause of [
      new SessionBackendError('only 2 of 3 Redis Cluster masters are reachable'),
      new Error('Connection is closed.'),
      replyError('LOADING Redis is loading the dataset in memory'),
    ]) {
      const failure = classifyFailure(cause, 2);
      expect(failure).toBeInstanceOf(SessionUnavailableError);
      expect(failure).toMatchObject({ message: UNAVAILABLE_MESSAGE, cause, retryAfterSeconds: 2 });
    }
  });

  it('lets the store’s own answers and command errors through unchanged', () => {
    const conflict = new SessionConflictError('changed', ['n']);
    const wrongType = replyError('WRONGTYPE Operation against a key holding the wrong kind');
    expect(classifyFailure(conflict, 1)).toBe(conflict);
    expect(classifyFailure(wrongType, 1)).toBe(wrongType);
  });
});
