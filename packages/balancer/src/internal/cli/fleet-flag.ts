import { InvalidOptionError } from '@koa-fleet/errors';
import type { FleetConfig } from '../../discovery/fleet-options.js';

/**
 * `--fleet /run/app.pid=2`: a fleet's pid file (or control socket, `….sock`), and after the last
 * `=` every worker's weight. resolveOptions checks the rest, as a config file's `fleets`.
 */
export function parseFleetFlag(value: string): FleetConfig {
  const match = /^(.+?)(?:=(\d+))?$/.exec(value.trim());
  if (!match?.[1] || match[1].endsWith('=')) {
    throw new InvalidOptionError(
      '--fleet',
      'a pid file or control socket, optionally =weight with a whole number (/run/app.pid=2)',
      value,
    );
  }
  const [, control, weight] = match;
  return weight === undefined ? { control } : { control, weight: Number(weight) };
}
