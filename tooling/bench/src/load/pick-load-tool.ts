import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { autocannon } from './autocannon.js';
import type { LoadTool } from './measurement.js';
import { wrk } from './wrk.js';

/** wrk when it is on PATH (lower overhead), autocannon otherwise. */
export function pickLoadTool(path = process.env.PATH ?? ''): LoadTool {
  return isOnPath('wrk', path) ? wrk : autocannon;
}

function isOnPath(binary: string, path: string): boolean {
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, binary), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
