import type { Measurement } from '../load/measurement.js';
import type { CountMeasurement } from '../scenario.js';

/** What a burst of increments on one session saw, from the client and read back afterwards. */
export interface IncrementFigures {
  /** Answered 2xx: increments the server acknowledged. */
  acknowledged: number;
  non2xx: number;
  socketErrors: number;
  /** The counter read back from the session once every answer was in. */
  final: number;
  elapsedSec: number;
}

/** A timed load of increments on another session, and that session's counter read back after. */
export interface TimedIncrementFigures {
  /** The load tool that sent it (wrk or autocannon): names the context figure. */
  tool: string;
  measurement: Measurement;
  final: number;
}

/**
 * Lost updates are acknowledged increments of the burst the session does not hold
 * (`acknowledged − final`); a failed request is reported as failed, not as lost. Throughput is
 * the timed load's; the burst's own req/s is context only (a short burst from the harness
 * process measures the client more than the server).
 */
export function incrementCounts(
  burst: IncrementFigures,
  timed: TimedIncrementFigures,
): CountMeasurement {
  const { acknowledged, non2xx, socketErrors, final, elapsedSec } = burst;
  const lost = acknowledged - final;
  const answered = acknowledged + non2xx;
  return {
    counts: { 'lost updates': lost, 'non-2xx': non2xx, 'socket errors': socketErrors },
    context: {
      increments: acknowledged,
      'final n': final,
      'lost %': acknowledged > 0 ? Math.round((1000 * lost) / acknowledged) / 10 : Number.NaN,
      'burst req/s': elapsedSec > 0 ? Math.round(answered / elapsedSec) : 0,
      [`${timed.tool}: final − acked`]: timedIncrementGap(timed),
    },
    throughput: timed.measurement,
  };
}

/**
 * The timed load's counter minus the increments its tool saw acknowledged. Not lost updates:
 * the tool stops counting with requests still in flight that the server may yet apply, so an
 * exact store lands between 0 and the connection count; a lossy one far below 0.
 */
export function timedIncrementGap({ measurement, final }: TimedIncrementFigures): number {
  // Both tools count every answer in `requests`, non-2xx ones included.
  return final - (measurement.requests - measurement.non2xx);
}

/** What concurrent writes of different fields to one session left behind. */
export interface FieldFigures {
  /** Requests sent, each setting its own field. */
  written: number;
  /** Of those, answered 2xx. */
  acknowledged: number;
  /** Fields the session holds afterwards. */
  kept: number;
}

/** Lost fields are acknowledged writes the session does not hold; survivors are context. */
export function fieldCounts({ written, acknowledged, kept }: FieldFigures): CountMeasurement {
  return {
    counts: { 'fields lost': acknowledged - kept, 'failed writes': written - acknowledged },
    context: { 'fields kept': kept },
  };
}
