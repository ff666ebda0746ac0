import { readFile } from 'node:fs/promises';

/** A process to sample, named for the series it belongs to (e.g. `worker 1`: a slot, any pid). */
export interface SampledProcess {
  name: string;
  pid: number;
}

export interface RssSample {
  /** ms since the sampler started. */
  at: number;
  pid: number;
  rssBytes: number;
}

export interface RssSampler {
  /** Samples so far, by series name. */
  samples(): Map<string, RssSample[]>;
  /** Stops sampling after one last round; resolves with every sample. */
  stop(): Promise<Map<string, RssSample[]>>;
}

export interface RssSamplerOptions {
  /** Who to sample, asked again each round: pids change when workers are replaced. */
  processes: () => SampledProcess[] | Promise<SampledProcess[]>;
  /** ms between rounds; default 2000. */
  interval?: number;
}

/** A process's resident set size from /proc/<pid>/status (VmRSS); undefined once it is gone. */
export async function readRss(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kilobytes = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kilobytes === undefined ? undefined : Number(kilobytes) * 1024;
  } catch {
    return undefined;
  }
}

/** Samples every process's RSS each `interval`, following the processes as they change. */
export function startRssSampler({ processes, interval = 2000 }: RssSamplerOptions): RssSampler {
  const started = Date.now();
  const series = new Map<string, RssSample[]>();
  const round = async () => {
    const at = Date.now() - started;
    for (const { name, pid } of await processes()) {
      const rssBytes = await readRss(pid);
      if (rssBytes === undefined) continue; // it exited between the listing and the read
      const list = series.get(name) ?? [];
      list.push({ at, pid, rssBytes });
      series.set(name, list);
    }
  };
  let running = round();
  const timer = setInterval(() => {
    // A slow round (a busy machine) is not overlapped by the next.
    running = running.then(round, round);
  }, interval);
  return {
    samples: () => new Map([...series].map(([name, list]) => [name, [...list]])),
    stop: async () => {
      clearInterval(timer);
      await running.catch(() => {});
      await round().catch(() => {});
      return new Map(series);
    },
  };
}
