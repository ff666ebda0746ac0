import { InvalidOptionError } from '@koa-fleet/errors';
import { describe, expect, it } from 'vitest';
import { checkLifecycle, ProbeState } from './probe-state.js';

const lifecycle = (state: string) => ({ state, onChange: () => () => {} });

describe('ProbeState', () => {
  it("follows the supervisor's lifecycle when there is one", () => {
    const followed = lifecycle('starting');
    const probe = new ProbeState(followed as never, true);
    expect(probe.state).toBe('starting');
    followed.state = 'ready';
    expect(probe.state).toBe('ready');
  });

  it('without one, starts ready or waits for markReady()', () => {
    expect(new ProbeState(undefined, true).state).toBe('ready');
    const waiting = new ProbeState(undefined, false);
    expect(waiting.state).toBe('starting');
    waiting.markReady();
    expect(waiting.state).toBe('ready');
  });

  it('stays draining once drained, whatever else happens', () => {
    const probe = new ProbeState(undefined, false);
    probe.drain();
    probe.markReady();
    expect(probe.state).toBe('draining');
  });
});

describe('checkLifecycle', () => {
  it('takes any object with a state and onChange()', () => {
    const given = lifecycle('ready');
    expect(checkLifecycle('lifecycle', given)).toBe(given);
  });

  it.each([[{ state: 'ready' }], [{ onChange() {} }], ['ready'], [null]])(
    'rejects %j, naming the option',
    (value) => {
      expect(() => checkLifecycle('lifecycle', value)).toThrowError(InvalidOptionError);
      expect(() => checkLifecycle('lifecycle', value)).toThrowError(
        /option "lifecycle" must be a lifecycle with `state` \(an object with onChange\(\)\)/,
      );
    },
  );
});
