import { checkKnownKeys, InvalidOptionError } from '@koa-fleet/errors';

export interface HealthPaths {
  /** Default '/livez'. `false` turns the endpoint off. */
  live?: string | false;
  /** Default '/readyz'. */
  ready?: string | false;
  /** Default '/healthz'. */
  health?: string | false;
  /** Default '/healthz/fleet'; answered only with a `fleet`. */
  fleet?: string | false;
  /** Default '/metrics'; answered only when metrics are on. */
  metrics?: string | false;
}

export type ResolvedPaths = Required<HealthPaths>;

// Typed as every path, so the compiler ties this table (and the key list) to HealthPaths.
const DEFAULT_PATHS: ResolvedPaths = {
  live: '/livez',
  ready: '/readyz',
  health: '/healthz',
  fleet: '/healthz/fleet',
  metrics: '/metrics',
};

const KEYS = Object.keys(DEFAULT_PATHS);

/** The `paths` option: each endpoint's path, or `false` for none; no two endpoints share one. */
export function resolvePaths(input: unknown): ResolvedPaths {
  const paths = (input ?? {}) as HealthPaths;
  checkKnownKeys('paths', paths, KEYS);
  const resolved: ResolvedPaths = {
    live: checkPath('paths.live', paths.live ?? DEFAULT_PATHS.live),
    ready: checkPath('paths.ready', paths.ready ?? DEFAULT_PATHS.ready),
    health: checkPath('paths.health', paths.health ?? DEFAULT_PATHS.health),
    fleet: checkPath('paths.fleet', paths.fleet ?? DEFAULT_PATHS.fleet),
    metrics: checkPath('paths.metrics', paths.metrics ?? DEFAULT_PATHS.metrics),
  };
  const used = Object.values(resolved).filter((path) => path !== false);
  const duplicate = used.find((path, index) => used.indexOf(path) !== index);
  if (duplicate) throw new InvalidOptionError('paths', 'distinct paths', duplicate);
  return resolved;
}

function checkPath(option: string, value: unknown): string | false {
  if (value === false) return false;
  if (typeof value !== 'string' || !value.startsWith('/')) {
    throw new InvalidOptionError(option, 'a path starting with "/", or false', value);
  }
  return value;
}
