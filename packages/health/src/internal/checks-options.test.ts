import { InvalidOptionError } from '@koa-fleet/errors';
import { describe, expect, it } from 'vitest';
import { defineCheck } from '../health-check.js';
import { resolveChecks } from './checks-options.js';

describe('resolveChecks', () => {
  it('has no checks by default', () => {
    expect(resolveChecks({})).toEqual([]);
  });

  it("gives a check the middleware's timeout and interval unless it has its own", () => {
    const plain = defineCheck('plain', () => {});
    const own = defineCheck('own', () => {}, { timeout: '2s', interval: 250 });
    expect(resolveChecks({ checks: [plain, own] })).toEqual([
      { check: plain, timeoutMs: 800, intervalMs: 1_000 },
      { check: own, timeoutMs: 2_000, intervalMs: 250 },
    ]);
    expect(resolveChecks({ checks: [plain], checkTimeout: '300ms', checkInterval: '5s' })).toEqual([
      { check: plain, timeoutMs: 300, intervalMs: 5_000 },
    ]);
  });

  it('takes a check of any package by its shape', () => {
    const foreign = { name: 'queue', check: async () => {}, timeout: 50 };
    expect(resolveChecks({ checks: [foreign] })).toEqual([
      { check: foreign, timeoutMs: 50, intervalMs: 1_000 },
    ]);
  });

  it.each([
    [{ checkTimeout: 0 }, 'checkTimeout'],
    [{ checkInterval: 'often' }, 'checkInterval'],
    [{ checks: defineCheck('a', () => {}) }, 'checks'],
    [{ checks: [null] }, 'checks[0]'],
    [{ checks: [{ check: async () => {} }] }, 'checks[0].name'],
    [{ checks: [{ name: 'db' }] }, 'checks[0].check'],
    [{ checks: [defineCheck('a', () => {}), defineCheck('a', () => {})] }, 'checks[1].name'],
    [{ checks: [{ name: 'db', check: async () => {}, critical: 'yes' }] }, 'checks[0].critical'],
    [{ checks: [{ name: 'db', check: async () => {}, timeout: 0 }] }, 'checks[0].timeout'],
    [{ checks: [{ name: 'db', check: async () => {}, interval: -1 }] }, 'checks[0].interval'],
  ])('rejects %j, naming %s', (input, option) => {
    expect(() => resolveChecks(input)).toThrowError(InvalidOptionError);
    expect(() => resolveChecks(input)).toThrowError(`option "${option}"`);
  });
});
