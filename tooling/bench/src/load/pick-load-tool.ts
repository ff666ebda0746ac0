import { findExecutable } from '../internal/find-executable.js';
import { autocannon } from './autocannon.js';
import type { LoadTool } from './measurement.js';
import { wrk } from './wrk.js';

/** wrk when it is installed (lower overhead), autocannon otherwise. */
export function pickLoadTool(path = process.env.PATH ?? ''): LoadTool {
  return findExecutable('wrk', path) ? wrk : autocannon;
}
