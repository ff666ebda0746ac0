import { fileURLToPath } from 'node:url';

/** Absolute path of a plain-JS server file in tooling/bench/servers (no build step needed). */
export function serverEntry(file: string): string {
  return fileURLToPath(new URL(`../../servers/${file}`, import.meta.url));
}
