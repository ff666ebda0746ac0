import { describe, expect, it } from 'vitest';
import { CrashWindow } from './crash-window.js';

describe('CrashWindow', () => {
  it('counts crashes inside the window whatever the uptime between them', () => {
    const window = new CrashWindow(60_000);
    expect(window.record(0)).toBe(1);
    expect(window.record(30_000)).toBe(2);
    expect(window.record(59_999)).toBe(3);
  });

  it('forgets crashes older than the window', () => {
    const window = new CrashWindow(1_000);
    window.record(0);
    window.record(500);
    expect(window.record(1_200)).toBe(2);
    expect(window.count(5_000)).toBe(0);
  });
});
