import type { Peer } from '../backend.js';
import {
  byName,
  ERROR_KINDS,
  STATUS_CLASSES,
  type CheckSummary,
  type ErrorKind,
  type StatusClass,
} from './backend-counters.js';
import { BUCKET_COUNT, quantile, WINDOW_SECONDS } from './latency-window.js';

/**
 * A backend's state in the stats: `slow-start` is `up` while its weight still ramps up; `draining`
 * is the drain signal, `drainBackend()` or a removal under way (see `drained`).
 */
export type BackendStatsState = 'up' | 'down' | 'draining' | 'slow-start';

/** Latencies (time from sending a try to its response's headers) over the last seconds. */
export interface LatencySummary {
  /** How far back it looks: 10. */
  windowSeconds: number;
  /** Answers in the window. */
  count: number;
  /** Milliseconds, as the upper bound of a fixed bucket (within 19 %); null with no answer. */
  p50: number | null;
  p99: number | null;
}

/** One backend's figures now: `balancer.stats()`, and each backend of the admin API. */
export interface BackendStats {
  url: string;
  state: BackendStatsState;
  /** Held out of rotation by `drainBackend()` (the admin API's drain) until undrained. */
  drained: boolean;
  weight: number;
  /** The weight the strategy works with now: lowered by failures and slow start, then regained. */
  effectiveWeight: number;
  backup: boolean;
  maxConns: number;
  /** Requests in flight to it (open tunnels included). */
  active: number;
  /** Tries sent to it since it joined. */
  requests: number;
  /** Its answers passed on to clients, by status class. */
  responses: Record<StatusClass, number>;
  /** Its failed tries, by kind. */
  errors: Record<ErrorKind, number>;
  /** Its failed tries that went on to another backend. */
  retries: number;
  latency: LatencySummary;
  /** The last active health check; null without `healthCheck`, or before the first. */
  lastCheck: CheckSummary | null;
}

/** BackendStats with the latency buckets they were computed from, so processes' stats can merge. */
export interface BackendSnapshot extends BackendStats {
  latencyBuckets: number[];
}

export function snapshotOf(peer: Peer, effectiveWeight: number, nowMs: number): BackendSnapshot {
  const { counters } = peer;
  const buckets = counters.latency.buckets(nowMs);
  return {
    url: peer.url,
    state: peer.slowStarting ? 'slow-start' : peer.state,
    drained: peer.drained,
    weight: peer.weight,
    effectiveWeight: Math.round(effectiveWeight * 100) / 100,
    backup: peer.backup,
    maxConns: peer.maxConns,
    active: peer.active,
    requests: counters.requests,
    responses: byName(STATUS_CLASSES, counters.responses),
    errors: byName(ERROR_KINDS, counters.errors),
    retries: counters.retries,
    latency: latencyOf(buckets),
    lastCheck: counters.lastCheck,
    latencyBuckets: buckets,
  };
}

export function latencyOf(buckets: readonly number[]): LatencySummary {
  return {
    windowSeconds: WINDOW_SECONDS,
    count: buckets.reduce((sum, count) => sum + count, 0),
    p50: quantile(buckets, 0.5),
    p99: quantile(buckets, 0.99),
  };
}

/** The stats without the buckets. */
export function statsOf(snapshot: BackendSnapshot): BackendStats {
  const { latencyBuckets: _buckets, ...stats } = snapshot;
  return stats;
}

/** How bad a state is for a backend several processes see differently: the worst one shows. */
const STATE_ORDER: readonly BackendStatsState[] = ['up', 'slow-start', 'draining', 'down'];

/** Stats as a process sends them: with its latency buckets when it still has them. */
export type MergeableStats = BackendStats & { latencyBuckets?: number[] };

/**
 * One backend as several balancer processes (`--workers`) see it: counts summed, the worst state,
 * the latest check, and the latency buckets merged, so the percentiles are the fleet's (without
 * buckets — a removed backend's last stats — the worst process's percentiles).
 */
export function mergeStats(first: MergeableStats, rest: readonly MergeableStats[]): BackendStats {
  const merged: MergeableStats = structuredClone(first);
  for (const other of rest) {
    if (STATE_ORDER.indexOf(other.state) > STATE_ORDER.indexOf(merged.state)) {
      merged.state = other.state;
    }
    merged.drained ||= other.drained;
    merged.effectiveWeight = Math.min(merged.effectiveWeight, other.effectiveWeight);
    merged.active += other.active;
    merged.requests += other.requests;
    merged.retries += other.retries;
    for (const name of STATUS_CLASSES) merged.responses[name] += other.responses[name];
    for (const name of ERROR_KINDS) merged.errors[name] += other.errors[name];
    if (other.lastCheck && (!merged.lastCheck || other.lastCheck.at > merged.lastCheck.at)) {
      merged.lastCheck = other.lastCheck;
    }
    const { latencyBuckets: buckets } = merged;
    if (buckets && other.latencyBuckets) {
      for (let index = 0; index < BUCKET_COUNT; index++) {
        buckets[index]! += other.latencyBuckets[index] ?? 0;
      }
    } else {
      delete merged.latencyBuckets;
      merged.latency = worstLatency(merged.latency, other.latency);
    }
  }
  const { latencyBuckets, ...stats } = merged;
  if (latencyBuckets) stats.latency = latencyOf(latencyBuckets);
  return stats;
}

function worstLatency(a: LatencySummary, b: LatencySummary): LatencySummary {
  const worse = (x: number | null, y: number | null) =>
    x === null ? y : y === null ? x : Math.max(x, y);
  return { ...a, count: a.count + b.count, p50: worse(a.p50, b.p50), p99: worse(a.p99, b.p99) };
}
