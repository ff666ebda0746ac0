/** Comment lines stay within this width, so the header reads in a terminal and in an editor. */
const WIDTH = 100;

/**
 * What a target engine cannot express as the balancer does, collected while a config is
 * translated and written as `#` comments at the top of the file: nothing is dropped silently.
 */
export class ExportNotes {
  readonly #notes: string[] = [];

  add(note: string): void {
    if (!this.#notes.includes(note)) this.#notes.push(note);
  }

  get list(): readonly string[] {
    return this.#notes;
  }

  /** The header: what the file is, then each note as a `# - ` item, wrapped. */
  render(title: string): string[] {
    const lines = wrap(title, '# ', '# ');
    if (this.#notes.length === 0) return lines;
    lines.push('#', "# Where it differs from koa-fleet's balancer with this config:");
    for (const note of this.#notes) lines.push(...wrap(note, '# - ', '#   '));
    return lines;
  }
}

function wrap(text: string, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(' ')) {
    const prefix = lines.length === 0 ? first : rest;
    if (line.length > prefix.length && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = rest + word;
    } else {
      line += line.length > prefix.length ? ` ${word}` : word;
    }
  }
  lines.push(line);
  return lines;
}
