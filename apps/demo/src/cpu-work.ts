/**
 * Keeps the CPU busy for about `ms` milliseconds and returns what it computed (so the work
 * cannot be optimised away): the tutorial's "~1 ms of CPU per request", a load where the number
 * of processes, not I/O, sets the throughput.
 */
export function burnCpu(ms: number): number {
  const until = performance.now() + ms;
  let value = 0;
  while (performance.now() < until) {
    for (let i = 0; i < 1000; i++) value = (value * 31 + i) % 1_000_003;
  }
  return value;
}
