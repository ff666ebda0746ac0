import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binaryVersion, packageVersion } from '../src/contenders/peer-version.js';
import { findExecutable } from '../src/internal/find-executable.js';

describe('peer versions for the descriptions', () => {
  it('reads an npm peer’s version from its package.json', () => {
    expect(packageVersion('http-proxy')).toMatch(/^1\.\d+\.\d+$/);
    expect(packageVersion('@fastify/reply-from')).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('reads a binary’s version from what it prints, stdout or stderr', () => {
    expect(binaryVersion('node', ['--version'], /^v(\S+)/m)).toBe(process.versions.node);
    expect(binaryVersion('node', ['-e', 'console.error("tool/9.8.7")'], /tool\/(\S+)/)).toBe(
      '9.8.7',
    );
  });

  it('says so instead of failing when the binary is missing or prints no version', () => {
    expect(binaryVersion('no-such-binary-koa-fleet', ['-v'], /(.*)/)).toBe('not installed');
    expect(binaryVersion('node', ['-e', ''], /version (\S+)/)).toBe('unknown');
  });
});

describe('findExecutable', () => {
  it('finds a binary in a PATH dir, and nothing for an unknown name', () => {
    const dir = dirname(process.execPath);
    expect(findExecutable('node', dir)).toBe(process.execPath);
    expect(findExecutable('no-such-binary-koa-fleet', dir)).toBeUndefined();
  });
});
