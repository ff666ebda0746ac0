/**
 * A flag's text as a number when it is a whole number, else the text itself — so a check's
 * message shows what was typed (`got "lots"`), not what Number() made of it (`got null`).
 */
export function integerFlag(text: string): unknown {
  return /^\d+$/.test(text.trim()) ? Number(text) : text;
}
