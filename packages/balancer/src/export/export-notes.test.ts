import { describe, expect, it } from 'vitest';
import { ExportNotes } from './export-notes.js';

describe('ExportNotes', () => {
  it('writes each note once as a comment item, wrapped within 100 columns', () => {
    const notes = new ExportNotes();
    const long = `${'word '.repeat(40)}end.`;
    notes.add('Short.');
    notes.add(long);
    notes.add('Short.');
    const lines = notes.render('Title.');
    expect(lines.slice(0, 4)).toEqual([
      '# Title.',
      '#',
      "# Where it differs from koa-fleet's balancer with this config:",
      '# - Short.',
    ]);
    expect(lines.every((line) => line.length <= 100 && line.startsWith('#'))).toBe(true);
    const item = lines.slice(4);
    expect(item[0]!.startsWith('# - word')).toBe(true);
    expect(
      item.slice(1).every((line) => line.startsWith('#   word') || line.startsWith('#   end')),
    ).toBe(true);
    expect(item.map((line) => line.slice(4)).join(' ')).toBe(long);
    expect(notes.list).toEqual(['Short.', long]);
  });
});
