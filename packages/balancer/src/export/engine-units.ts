/**
 * A duration in milliseconds as nginx and HAProxy both write it, in seconds as their docs do
 * (`60s`, `300s`) or hours, and in milliseconds when that is what keeps it exact (`1500ms`).
 */
export function engineDuration(ms: number): string {
  if (ms === 0) return '0';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 1_000 === 0) return `${ms / 1_000}s`;
  return `${ms}ms`;
}

/** A size in bytes as nginx writes it: `16k`, `1m`, `1g` when exact, else the bytes. */
export function nginxSize(bytes: number): string {
  if (bytes === 0) return '0';
  for (const [unit, size] of [
    ['g', 1024 ** 3],
    ['m', 1024 ** 2],
    ['k', 1024],
  ] as const) {
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

/** `16 kB`, `1.5 MB`: a size in a note, for people. */
export function readableSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [unit, size] = bytes < 1024 ** 2 ? ['kB', 1024] : ['MB', 1024 ** 2];
  return `${Number((bytes / size).toFixed(1))} ${unit}`;
}
