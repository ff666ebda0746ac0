import { readFileSync } from 'node:fs';

/** One fenced code block of a README, named by the `<!-- example: name -->` line above it. */
export interface ReadmeBlock {
  name: string;
  /** The fence's info string (`js`, `sh`, `nginx`, …); empty for a plain fence. */
  lang: string;
  code: string;
  /** 1-based line of the opening fence, for messages. */
  line: number;
}

export interface Readme {
  path: string;
  blocks: readonly ReadmeBlock[];
  /**
   * Markdown links to files by relative path. npm shows a package's README without the repository
   * around it, so there they lead nowhere: a package README links by absolute URL.
   */
  relativeLinks: readonly string[];
  /** The code of the named block; marks it as exercised by the test. */
  block(name: string): string;
  /** Throws naming every block no test asked for: each block a user can paste is run. */
  expectEveryBlockUsed(): void;
}

const NAME = /^<!--\s*example:\s*([\w.-]+)\s*-->$/;
const FENCE = /^(`{3,}|~{3,})\s*([\w+-]*)\s*$/;

/**
 * Reads a README whose every fenced code block carries a name in an HTML comment on the line
 * before it (`<!-- example: server -->`; invisible on GitHub and npm; prettier's blank line
 * between is fine). A block without one is an error, so a new example cannot slip into a README
 * without a test that runs it. A `text` fence is a picture (a diagram), not code, and is skipped.
 */
export function readReadme(path: string | URL): Readme {
  const file = typeof path === 'string' ? path : path.pathname;
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = FENCE.exec(lines[index]!);
    if (!open) continue;
    const isPicture = open[2] === 'text'; // a diagram to look at, not code to paste
    const fence = open[1]!;
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && !lines[index]!.startsWith(fence); index++) {
      body.push(lines[index]!);
    }
    if (index === lines.length) throw new Error(`${file}:${start + 1}: code block never closed`);
    if (isPicture) continue;
    let above = start - 1; // prettier puts a blank line between the comment and the fence
    while (above > 0 && lines[above]!.trim() === '') above--;
    const named = NAME.exec(lines[above]?.trim() ?? '');
    if (!named) {
      throw new Error(
        `${file}:${start + 1}: code block without a name — put <!-- example: some-name --> on the ` +
          'line before it and run it from the README test',
      );
    }
    if (blocks.some((block) => block.name === named[1])) {
      throw new Error(`${file}:${start + 1}: a second code block is named "${named[1]}"`);
    }
    blocks.push({
      name: named[1]!,
      lang: open[2] ?? '',
      code: `${body.join('\n')}\n`,
      line: start + 1,
    });
  }
  const used = new Set<string>();
  const withoutCode = text.replace(/^(`{3,}|~{3,})[\s\S]*?^\1/gm, '');
  const relativeLinks = [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^(https?:|mailto:|#)/.test(target));
  return {
    path: file,
    blocks,
    relativeLinks,
    block(name) {
      const found = blocks.find((block) => block.name === name);
      if (!found) {
        throw new Error(
          `${file} has no code block named "${name}" (it has: ${blocks.map((b) => b.name).join(', ')})`,
        );
      }
      used.add(name);
      return found.code;
    },
    expectEveryBlockUsed() {
      const unused = blocks.filter((block) => !used.has(block.name));
      if (unused.length > 0) {
        throw new Error(
          `${file}: no test ran ${unused.map((b) => `"${b.name}" (line ${b.line})`).join(', ')}`,
        );
      }
    },
  };
}

/**
 * Whether `actual` is what a README's sample output shows, where `…` in the sample stands for
 * any text (the parts that differ per run: times, pids, ids). Returns the sample's first line
 * that does not match, or undefined.
 */
export function mismatchWithSample(actual: string, sample: string): string | undefined {
  const pattern = sample
    .trim()
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s*'))
    .join('[\\s\\S]*?');
  if (new RegExp(`^${pattern}$`).test(actual.trim())) return undefined;
  return `output does not match the README sample:\n--- sample\n${sample.trim()}\n--- actual\n${actual.trim()}`;
}
