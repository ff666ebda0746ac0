/** Both engines' configs are read by people too: four spaces per level, as their own docs write them. */
const INDENT = '    ';

export function indent(lines: readonly string[]): string[] {
  return lines.map((line) => (line ? INDENT + line : line));
}

/** An nginx block: `head {`, its directives indented, `}`. */
export function nginxBlock(head: string, body: readonly string[]): string[] {
  return [`${head} {`, ...indent(body), '}'];
}

/** An HAProxy section: its keyword line, then its lines indented. */
export function haproxySection(head: string, body: readonly string[]): string[] {
  return [head, ...indent(body)];
}

/** Parts of a file, one blank line between two, and a final newline. */
export function joinParts(parts: readonly (readonly string[])[]): string {
  return `${parts
    .filter((part) => part.length > 0)
    .map((part) => part.join('\n'))
    .join('\n\n')}\n`;
}

/** A string nginx reads as one argument: double-quoted, with `"` and `\` escaped. */
export function nginxQuoted(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** `x-request-id` as people write it: `X-Request-Id`. */
export function headerCase(name: string): string {
  return name.replace(
    /(^|-)([a-z])/g,
    (_match, dash: string, letter: string) => dash + letter.toUpperCase(),
  );
}
