import { InvalidOptionError } from '@koa-fleet/errors';
import { describe, expect, it } from 'vitest';
import { resolveShutdownOptions } from './shutdown-options.js';

describe('resolveShutdownOptions', () => {
  it('listens to SIGTERM alone, and to no signal when a supervisor owns them', () => {
    expect(resolveShutdownOptions({}, { supervised: false })).toEqual({
      delayMs: 5_000,
      signals: ['SIGTERM'],
      onShutdown: undefined,
    });
    expect(resolveShutdownOptions({}, { supervised: true }).signals).toEqual([]);
  });

  it('keeps what is given, the delay in milliseconds', () => {
    const onShutdown = () => {};
    expect(
      resolveShutdownOptions(
        { shutdownDelay: '2s', shutdownSignals: ['SIGINT', 'SIGTERM'], onShutdown },
        { supervised: true },
      ),
    ).toEqual({ delayMs: 2_000, signals: ['SIGINT', 'SIGTERM'], onShutdown });
  });

  it.each([
    [{ shutdownDelay: -5 }, 'shutdownDelay'],
    [{ shutdownSignals: ['TERM'] }, 'shutdownSignals'],
    [{ shutdownSignals: 'SIGTERM' }, 'shutdownSignals'],
    [{ onShutdown: 'close' }, 'onShutdown'],
  ])('rejects %j, naming %s', (input, option) => {
    const resolve = () => resolveShutdownOptions(input, { supervised: false });
    expect(resolve).toThrowError(InvalidOptionError);
    expect(resolve).toThrowError(`option "${option}"`);
  });
});
