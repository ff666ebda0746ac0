/** Payloads of the cluster's own messages on the `kf:control` namespace. */
export interface ReadyPayload {
  port: number;
}

export interface HeartbeatPayload {
  requests: number;
  inFlight: number;
  rssBytes: number;
  eventLoopLagMs: number;
}

export type FatalPhase = 'load' | 'listen' | 'runtime';

export interface FatalPayload {
  phase: FatalPhase;
  message: string;
  code?: string;
  /** False when restarting cannot help (syntax error, port in use). */
  retryable: boolean;
  /** The user's error with only the user's stack frames, when it has any. */
  stack?: string;
}
