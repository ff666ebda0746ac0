import { describe, expect, it } from 'vitest';
import { parseFleetFlag } from './fleet-flag.js';

describe('--fleet', () => {
  it('reads a pid file or socket and an optional =weight', () => {
    expect(parseFleetFlag('/run/app.pid')).toEqual({ control: '/run/app.pid' });
    expect(parseFleetFlag('/run/app.pid=3')).toEqual({ control: '/run/app.pid', weight: 3 });
    expect(parseFleetFlag('/run/app.pid.sock')).toEqual({ control: '/run/app.pid.sock' });
  });

  it('names the flag when the weight is not a whole number', () => {
    expect(() => parseFleetFlag('/run/app.pid=')).toThrowError(/^option "--fleet" must be/);
    expect(() => parseFleetFlag('')).toThrowError(/^option "--fleet" must be/);
  });
});
