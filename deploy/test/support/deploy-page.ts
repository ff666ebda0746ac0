import { readFileSync } from 'node:fs';
import { readReadme, type Readme } from '@koa-fleet/testkit';

/** docs/deploy.md, the page every recipe is walked through on. */
export const deployPagePath = new URL('../../../docs/deploy.md', import.meta.url);

/** The code blocks of one `## ` section of docs/deploy.md ('' for the intro above the first). */
export interface PageSection {
  /** The named block's code; the block must be in this section. */
  block(name: string): string;
  /** Throws naming every block of the section that no test asked for. */
  expectEveryBlockUsed(): void;
}

/**
 * One section of the page: each section's blocks are run by its own test file (the page is
 * shared by several recipes), so each file checks that its section has no block left unrun.
 */
export function deployPageSection(heading: string): PageSection {
  const readme: Readme = readReadme(deployPagePath);
  const lines = readFileSync(deployPagePath, 'utf8').split('\n');
  const headingLines = lines.flatMap((line, index) => (line.startsWith('## ') ? [index + 1] : []));
  const start = heading === '' ? 0 : lines.indexOf(`## ${heading}`) + 1;
  if (heading !== '' && start === 0) throw new Error(`docs/deploy.md has no "## ${heading}"`);
  const end = headingLines.find((line) => line > start) ?? lines.length + 1;
  const names = readme.blocks
    .filter((block) => block.line > start && block.line < end)
    .map((block) => block.name);
  const used = new Set<string>();
  return {
    block(name) {
      if (!names.includes(name)) {
        throw new Error(
          `"${name}" is not a block of "${heading || 'the intro'}" (it has: ${names.join(', ')})`,
        );
      }
      used.add(name);
      return readme.block(name);
    },
    expectEveryBlockUsed() {
      const unused = names.filter((name) => !used.has(name));
      if (unused.length > 0) {
        throw new Error(`docs/deploy.md "${heading || 'intro'}": no test ran ${unused.join(', ')}`);
      }
    },
  };
}
