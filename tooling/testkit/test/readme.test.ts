import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleFolder, mismatchWithSample, readReadme, stopAll } from '../src/index.js';

function readmeWith(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kf-readme-test-')), 'README.md');
  writeFileSync(file, text);
  return file;
}

describe('readReadme', () => {
  it('names each block by the comment above it and reports the blocks no test used', () => {
    const readme = readReadme(
      readmeWith(
        '# x\n\n<!-- example: install -->\n```sh\nnpm install x\n```\n\n<!-- example: app -->\n```js\nconsole.log(1);\n```\n',
      ),
    );
    expect(readme.blocks.map((b) => [b.name, b.lang, b.line])).toEqual([
      ['install', 'sh', 4],
      ['app', 'js', 9],
    ]);
    expect(readme.block('app')).toBe('console.log(1);\n');
    expect(() => readme.expectEveryBlockUsed()).toThrow(/no test ran "install" \(line 4\)/);
    expect(() => readme.block('missing')).toThrow(/no code block named "missing"/);
  });

  it('refuses a block without a name, and two blocks with one name', () => {
    expect(() => readReadme(readmeWith('text\n```js\nx\n```\n'))).toThrow(
      /README.md:2: code block without a name/,
    );
    expect(() =>
      readReadme(
        readmeWith('<!-- example: a -->\n```\nx\n```\n<!-- example: a -->\n```\ny\n```\n'),
      ),
    ).toThrow(/second code block is named "a"/);
  });
});

describe('mismatchWithSample', () => {
  it('lets … stand for any text and whitespace differ', () => {
    expect(
      mismatchWithSample('{"status":"pass","time":"12:00"}', '{"status":"pass","time":"…"}'),
    ).toBeUndefined();
    expect(mismatchWithSample('{"status":"fail"}', '{"status":"pass"}')).toMatch(/does not match/);
  });
});

describe('exampleFolder', () => {
  it('refuses an install command other than npm install, so READMEs stay consistent', async () => {
    const folder = await exampleFolder();
    await expect(folder.sh('pnpm add koa')).rejects.toThrow(/READMEs say "npm install"/);
    await stopAll();
  });

  it('fails loudly when a replacement does not occur in the block', async () => {
    const folder = await exampleFolder();
    expect(() => folder.write('a.mjs', 'listen(3000)', { replace: { '4000': '5000' } })).toThrow(
      /"4000" does not occur/,
    );
    await stopAll();
  });
});

describe('readReadme links', () => {
  it('lists links by relative path, outside code blocks', () => {
    const readme = readReadme(
      readmeWith('[a](../cluster) [b](https://x.dev/y) [c](#options)\n```text\n[d](e)\n```\n'),
    );
    expect(readme.relativeLinks).toEqual(['../cluster']);
  });
});

describe('readReadme pictures', () => {
  it('skips a text fence (a diagram) and accepts a blank line under the name comment', () => {
    const readme = readReadme(
      readmeWith('```text\n[a] → [b]\n```\n\n<!-- example: x -->\n\n```sh\necho\n```\n'),
    );
    expect(readme.blocks.map((b) => b.name)).toEqual(['x']);
  });
});
