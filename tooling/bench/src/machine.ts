import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

/** Where a result was measured; ratios from different machines are not comparable. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  totalMemoryMb: number;
  node: string;
  platform: string;
  /** 1-minute load average before the scenario started: other work sharing the machine. */
  loadAverageBefore: number;
}

export function describeMachine(): MachineInfo {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    totalMemoryMb: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverageBefore: Math.round(loadavg()[0]! * 100) / 100,
  };
}
