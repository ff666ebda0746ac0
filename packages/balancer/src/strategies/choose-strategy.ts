import { checkKnownKeys, checkOneOf, InvalidOptionError } from '@koa-fleet/errors';
import type { Peer } from '../backend.js';
import {
  ConsistentHash,
  resolveHashOptions,
  type HashStrategyConfig,
  type ResolvedHashOptions,
} from './consistent-hash.js';
import { LeastConn } from './least-conn.js';
import { PowerOfTwo } from './power-of-two.js';
import { SmoothWeighted } from './smooth-weighted.js';
import type { Strategy } from './strategy.js';

/** nginx: (default) round robin, `least_conn`, `random two least_conn`, `hash $key consistent`. */
export const STRATEGY_NAMES = ['round-robin', 'least-conn', 'random-two', 'hash'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** A strategy by name, or as an object when it has options (only `hash` has). */
export type StrategyConfig =
  StrategyName | { name: Exclude<StrategyName, 'hash'> } | HashStrategyConfig;

export type ResolvedStrategy =
  { name: Exclude<StrategyName, 'hash'> } | ({ name: 'hash' } & ResolvedHashOptions);

export function resolveStrategy(input: unknown): ResolvedStrategy {
  const given = typeof input === 'string' ? { name: input } : input;
  if (typeof given !== 'object' || given === null) {
    throw new InvalidOptionError('strategy', 'a strategy name or { name, … }', input);
  }
  const name = checkOneOf(
    typeof input === 'string' ? 'strategy' : 'strategy.name',
    (given as { name?: unknown }).name,
    STRATEGY_NAMES,
  );
  if (name === 'hash') {
    return { name, ...resolveHashOptions('strategy', given as HashStrategyConfig) };
  }
  checkKnownKeys('strategy', given, ['name']);
  return { name };
}

/** The strategy the config names, over the whole set (the hash ring is built from all of it). */
export function createStrategy(resolved: ResolvedStrategy, peers: readonly Peer[]): Strategy {
  switch (resolved.name) {
    case 'round-robin':
      return new SmoothWeighted();
    case 'least-conn':
      return new LeastConn();
    case 'random-two':
      return new PowerOfTwo();
    case 'hash':
      return new ConsistentHash(peers, resolved);
  }
}
