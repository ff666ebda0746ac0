/**
 * Every namespace and link the suite makes is named `kfc<pid>-…` after the test process that
 * made it, so what a killed run left behind can be told from what a live one uses. Interface
 * names have 15 bytes at most: `kfc` + a 7-digit pid + `-` leaves 4.
 */
const NAME = /^kfc(\d+)-/;

export function runPrefix(pid = process.pid): string {
  return `kfc${pid}-`;
}

/** The pid of the run that made `name`, or undefined when the suite did not make it. */
export function runOf(name: string): number | undefined {
  const match = NAME.exec(name);
  return match ? Number(match[1]) : undefined;
}
