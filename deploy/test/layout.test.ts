import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('deploy/', () => {
  it('has the page that walks through every recipe', () => {
    expect(existsSync(new URL('../../docs/deploy.md', import.meta.url))).toBe(true);
  });
});
