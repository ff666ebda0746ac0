import { readFileSync } from 'node:fs';
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

/**
 * How long after `grace` the primary SIGKILLs a worker still draining: internal to the cluster,
 * so read from where its README promises it ("Stop").
 */
export function killMarginMs(): number {
  const readme = readFileSync(
    new URL('../../../packages/cluster/README.md', import.meta.url),
    'utf8',
  );
  const match = /SIGKILLs a worker still there (\d+) s after\s+`grace`/.exec(readme);
  if (!match)
    throw new Error('packages/cluster/README.md no longer says when a draining worker is killed');
  return Number(match[1]) * 1000;
}

/**
 * How long after SIGTERM a fleet is gone at most — `shutdownDelay + grace +` the kill margin
 * (docs/deploy.md, "The timings that must agree"): whatever stops it (systemd's
 * `TimeoutStopSec`, the kubelet, `docker stop`) must wait longer.
 */
export function fleetStopBoundMs(
  env: ReadonlyMap<string, string>,
  defaults: ReadonlyMap<string, string> = fleetCliDefaults(),
): number {
  const ms = (flag: string) => effectiveDuration(flag, env, defaults);
  return ms('shutdown-delay') + ms('grace') + killMarginMs();
}
