/** `1 worker`, `2 workers`: log lines and messages count things in words. */
export function plural(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}

/**
 * `127.0.0.1:3000`, `127.0.0.1:3000-3002` for consecutive ports, else a list; a single port is
 * never written as a range of one.
 */
export function describeAddress(host: string, ports: readonly number[]): string {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  if (sorted.length <= 1) return `${host}:${sorted[0] ?? '?'}`;
  const consecutive = sorted.every((port, i) => i === 0 || port === sorted[i - 1]! + 1);
  return consecutive
    ? `${host}:${sorted[0]}-${sorted[sorted.length - 1]}`
    : `${host}:${sorted.join(',')}`;
}
