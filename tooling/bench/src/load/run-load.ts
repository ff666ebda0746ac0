import { execFile } from 'node:child_process';
import { LoadToolError } from '../errors.js';
import type { LoadSpec, LoadTool, Measurement } from './measurement.js';

/** Runs the load tool as a child process against `spec.url` and parses what it printed. */
export function runLoad(tool: LoadTool, spec: LoadSpec): Promise<Measurement> {
  const { file, args } = tool.command(spec);
  // Generous: the tool stops itself after durationSec; this only catches a hung tool.
  const timeout = (spec.durationSec + 60) * 1000;
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(
          new LoadToolError(`${tool.name} failed: ${stderr || error.message}`, { cause: error }),
        );
        return;
      }
      try {
        resolve(tool.parse(stdout));
      } catch (parseError) {
        reject(parseError);
      }
    });
  });
}
