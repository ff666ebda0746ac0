/** An exported file's directives, each trimmed of its indentation (comments left out). */
export function directives(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

/** The `# - ` notes at the top of an exported file, each on one line. */
export function notesOf(text: string): string[] {
  const notes: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    if (line.startsWith('# - ')) notes.push(line.slice(4));
    else if (line.startsWith('#   ') && notes.length > 0)
      notes.push(`${notes.pop()!} ${line.slice(4)}`);
  }
  return notes;
}
