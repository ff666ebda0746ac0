/** `1 backend`, `2 backends`: log lines count things in words. */
export function plural(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}
