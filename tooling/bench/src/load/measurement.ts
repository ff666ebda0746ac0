/** What one load run measured against one server. */
export interface Measurement {
  requestsPerSec: number;
  /**
   * Median and 90th percentile latency in milliseconds; absent in results recorded before the
   * load tools reported them (the report prints "—" there).
   */
  p50Ms?: number;
  p90Ms?: number;
  /** 99th percentile latency in milliseconds. */
  p99Ms: number;
  requests: number;
  /** Responses outside 2xx/3xx. */
  non2xx: number;
  /** Connect, read, write errors and timeouts, summed. */
  socketErrors: number;
}

/** How hard and how long to load one URL. */
export interface LoadSpec {
  url: string;
  connections: number;
  durationSec: number;
  /** Sent with every request, e.g. `{ Cookie: 'koa.sess=…' }` to load one session. */
  headers?: Record<string, string>;
}

/** A load generator run as its own process, so its CPU use stays out of the harness. */
export interface LoadTool {
  readonly name: string;
  command(spec: LoadSpec): { file: string; args: string[] };
  parse(stdout: string): Measurement;
}
