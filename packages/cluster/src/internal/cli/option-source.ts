import type { Command } from 'commander';
import { InvalidOptionError } from '@koa-fleet/errors';

/**
 * How the user gave an option: `--max-memory` when typed on the command line, `KOA_FLEET_…`
 * when read from the environment; undefined for an option the command has no flag for.
 */
export function optionSource(command: Command, attribute: string): string | undefined {
  const option = command.options.find((o) => o.attributeName() === attribute);
  if (!option) return undefined;
  const source = command.getOptionValueSource(attribute);
  return source === 'env' && option.envVar ? option.envVar : option.long;
}

/**
 * An error's message in the user's terms: an InvalidOptionError names the flag or variable the
 * value came from instead of the API option (`--max-memory must be …`); others keep theirs.
 */
export function userMessage(command: Command, error: unknown): string {
  if (error instanceof InvalidOptionError) {
    const source = optionSource(command, error.option);
    if (source) return `${source} must be ${error.expected}, got ${error.got}`;
  }
  return error instanceof Error ? error.message : String(error);
}
