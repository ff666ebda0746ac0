/** A server under test, started and answering on `url` (e.g. `http://127.0.0.1:40123`). */
export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

export interface StartContext {
  /** A free port on 127.0.0.1 for the server to listen on. */
  port: number;
}

/** One of the things a scenario compares, e.g. a single Koa process or raw node:cluster. */
export interface Contender {
  name: string;
  description: string;
  /** Resolves once the server answers on every process it runs; must not leak a process. */
  start(context: StartContext): Promise<RunningServer>;
}

/** One kind of traffic a scenario sends to every contender. */
export interface Load {
  name: string;
  /** Path requested on the contender's url, e.g. `/hello`. */
  path: string;
  connections: number;
}

/** A named comparison: which servers, which load, how long. */
export interface Scenario {
  name: string;
  description: string;
  /** Name of the contender every ratio is taken against. */
  baseline: string;
  contenders: Contender[];
  loads: Load[];
  durationSec: number;
  warmupSec: number;
}
