import { InvalidOptionError } from '@koa-fleet/errors';
import { describe, expect, it } from 'vitest';
import { resolveExposureOptions } from './exposure-options.js';

describe('resolveExposureOptions', () => {
  it('shows details to loopback callers, judged by the socket, by default', () => {
    expect(resolveExposureOptions({})).toEqual({
      exposeDetails: 'loopback',
      token: undefined,
      trustProxy: false,
    });
  });

  it('keeps what is given', () => {
    expect(
      resolveExposureOptions({ exposeDetails: 'token', token: 's3cret', trustProxy: true }),
    ).toEqual({ exposeDetails: 'token', token: 's3cret', trustProxy: true });
    expect(resolveExposureOptions({ exposeDetails: 'never' })).toMatchObject({
      exposeDetails: 'never',
    });
  });

  it.each([
    [{ exposeDetails: 'friends' }, 'exposeDetails'],
    [{ exposeDetails: 'token' }, 'token'],
    [{ token: '' }, 'token'],
    [{ trustProxy: 'yes' }, 'trustProxy'],
  ])('rejects %j, naming %s', (input, option) => {
    expect(() => resolveExposureOptions(input)).toThrowError(InvalidOptionError);
    expect(() => resolveExposureOptions(input)).toThrowError(`option "${option}"`);
  });
});
