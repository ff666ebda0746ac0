import type { Context } from 'koa';
import { describe, expect, it } from 'vitest';
import { matchedRoute } from './matched-route.js';

describe('matchedRoute', () => {
  it("labels a request with the router's matched pattern, not its path", () => {
    expect(matchedRoute({ _matchedRoute: '/users/:id', path: '/users/7' } as never)).toBe(
      '/users/:id',
    );
  });

  it('leaves the label to the caller when no router matched', () => {
    expect(matchedRoute({ path: '/users/7' } as unknown as Context)).toBeUndefined();
    expect(matchedRoute({ _matchedRoute: /users/ } as never)).toBeUndefined();
  });
});
