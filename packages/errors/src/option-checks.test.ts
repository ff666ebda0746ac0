import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from './invalid-option-error.js';
import {
  checkBytes,
  checkDuration,
  checkInteger,
  checkKnownKeys,
  checkMethods,
  checkOneOf,
  checkPort,
} from './option-checks.js';

describe('option checks', () => {
  it('returns a valid integer and names the option when one is out of range', () => {
    expect(checkInteger('workers', 4, { min: 1 })).toBe(4);
    expect(() => checkInteger('workers', 0, { min: 1 })).toThrowError(
      'option "workers" must be an integer ≥ 1, got 0',
    );
    expect(() => checkInteger('workers', 1.5)).toThrowError(InvalidOptionError);
  });

  it('carries the option, what it must be and the value given as fields', () => {
    const error = (() => {
      try {
        checkBytes('maxMemory', 'lots');
      } catch (caught) {
        return caught as InvalidOptionError;
      }
      throw new Error('checkBytes accepted "lots"');
    })();
    expect(error).toMatchObject({
      code: 'KF_INVALID_OPTION',
      option: 'maxMemory',
      expected: 'a size (bytes, or text such as "512mb") ≥ 0 bytes',
      got: '"lots"',
    });
    expect(error.message).toBe(`option "maxMemory" must be ${error.expected}, got ${error.got}`);
  });

  it('parses durations given as text or milliseconds', () => {
    expect(checkDuration('grace', '10s')).toBe(10_000);
    expect(checkDuration('grace', '250ms')).toBe(250);
    expect(checkDuration('grace', 1500)).toBe(1500);
    expect(checkDuration('grace', '1.5m')).toBe(90_000);
    expect(() => checkDuration('grace', '10 parsecs')).toThrowError(/option "grace" must be/);
    expect(() => checkDuration('grace', -1)).toThrowError(/option "grace"/);
  });

  it('parses sizes in binary units', () => {
    expect(checkBytes('maxMemory', '512mb')).toBe(512 * 1024 * 1024);
    expect(checkBytes('maxMemory', '1gb')).toBe(1024 ** 3);
    expect(() => checkBytes('maxMemory', 'lots')).toThrowError(/option "maxMemory"/);
  });

  it('accepts ports from 0 to 65535 only', () => {
    expect(checkPort('port', 0)).toBe(0);
    expect(() => checkPort('port', 70_000)).toThrowError(
      'option "port" must be an integer from 0 to 65535, got 70000',
    );
    expect(() => checkPort('port', 0, { allowZero: false })).toThrowError(/from 1 to 65535/);
  });

  it('lists the allowed values of an enumerated option', () => {
    expect(checkOneOf('mode', 'shared', ['shared', 'per-worker'] as const)).toBe('shared');
    expect(() => checkOneOf('mode', 'both', ['shared', 'per-worker'] as const)).toThrowError(
      'option "mode" must be one of "shared", "per-worker", got "both"',
    );
  });

  it('rejects an unknown option so a typo is not silently ignored', () => {
    expect(() => checkKnownKeys('', { worker: 2 }, ['workers', 'port'])).toThrowError(
      /option "worker" must be one of the known options \(workers, port\)/,
    );
  });

  it('accepts an object of another library by its methods and names the ones it needs', () => {
    const registry = { getSingleMetric() {}, registerMetric() {} };
    expect(
      checkMethods('metrics', registry, ['getSingleMetric', 'registerMetric'], 'a registry'),
    ).toBe(registry);
    expect(() =>
      checkMethods(
        'metrics',
        { getSingleMetric() {} },
        ['getSingleMetric', 'registerMetric'],
        'a registry',
      ),
    ).toThrowError(
      'option "metrics" must be a registry (an object with getSingleMetric(), registerMetric()), got {}',
    );
    expect(() => checkMethods('ipc', null, ['request'], 'a worker IPC')).toThrowError(
      'option "ipc" must be a worker IPC (an object with request()), got null',
    );
  });
});
