import { describe, expect, it } from 'vitest';
import { OutageLog } from './outage-log.js';

describe('OutageLog', () => {
  it('writes one line a second, counting the failures it left out', () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = new OutageLog({ warn: (details) => lines.push(details) }, 'redis');
    const cause = new Error('Connection is closed.');
    log.report('get', cause, 0);
    log.report('set', cause, 10);
    log.report('get', cause, 999);
    log.report('destroy', cause, 1000);
    expect(lines).toEqual([
      { backend: 'redis', op: 'get', err: cause },
      { backend: 'redis', op: 'destroy', err: cause, suppressed: 2 },
    ]);
  });
});
