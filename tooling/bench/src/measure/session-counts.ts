import type { CountMeasurement } from '../scenario.js';

/** What a burst of increments on one session saw, from the client and read back afterwards. */
export interface IncrementFigures {
  /** Requests sent. */
  sent: number;
  /** Of those, answered 2xx: increments the server acknowledged. */
  acknowledged: number;
  non2xx: number;
  socketErrors: number;
  /** The counter read back from the session once every answer was in. */
  final: number;
  elapsedSec: number;
  p99Ms: number;
}

/**
 * Lost updates are acknowledged increments the session does not hold (`acknowledged − final`);
 * a failed request is reported as failed, not as lost. Throughput is every answer over the
 * whole burst's wall time.
 */
export function incrementCounts(figures: IncrementFigures): CountMeasurement {
  const { sent, acknowledged, non2xx, socketErrors, final, elapsedSec, p99Ms } = figures;
  const lost = acknowledged - final;
  const answered = acknowledged + non2xx;
  return {
    counts: { 'lost updates': lost, 'non-2xx': non2xx, 'socket errors': socketErrors },
    context: {
      increments: acknowledged,
      'final n': final,
      'lost %': acknowledged > 0 ? Math.round((1000 * lost) / acknowledged) / 10 : Number.NaN,
    },
    throughput: {
      requestsPerSec: elapsedSec > 0 ? answered / elapsedSec : 0,
      p99Ms,
      requests: sent,
      non2xx,
      socketErrors,
    },
  };
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
