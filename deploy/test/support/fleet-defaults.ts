import { execFileSync } from 'node:child_process';
import { parseDuration } from '@koa-fleet/errors';
import { fleetBin } from '@koa-fleet/chaos';

/**
 * The defaults `koa-fleet start --help` prints, by flag (`grace` → `10s`): the built CLI shows
 * the defaults its options resolve to (the cluster's DEFAULTS), so a recipe is checked against
 * what a user's fleet would really do.
 */
export function fleetCliDefaults(): Map<string, string> {
  const help = execFileSync(process.execPath, [fleetBin, 'start', '--help'], { encoding: 'utf8' });
  const defaults = new Map<string, string>();
  // A flag's description may wrap: join each option's lines before reading its default.
  for (const option of help.replace(/\n {6,}/g, ' ').split('\n')) {
    const match = /^\s+(?:-\w, )?--([\w-]+).*\(default: ([^)]+)\)/.exec(option);
    if (match) defaults.set(match[1]!, match[2]!);
  }
  return defaults;
}

/** A duration option in ms: the recipe's `KOA_FLEET_…` value if it sets one, else the default. */
export function effectiveDuration(
  flag: string,
  env: ReadonlyMap<string, string>,
  defaults: ReadonlyMap<string, string>,
): number {
  const variable = `KOA_FLEET_${flag.replace(/-/g, '_').toUpperCase()}`;
  const text = env.get(variable) ?? defaults.get(flag);
  if (text === undefined) throw new Error(`neither ${variable} nor a default of --${flag}`);
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`--${flag}: "${text}" is not a duration`);
  return ms;
}
