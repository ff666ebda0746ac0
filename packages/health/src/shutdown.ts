import type { ProbeState } from './probe-state.js';
import type { ResolvedShutdownOptions } from './shutdown-options.js';

/**
 * terminus' beforeShutdown / lightship's shutdownDelay: on a signal, readiness turns 503 at once,
 * and only after `delayMs` — long enough for endpoints and balancers to stop routing here — does
 * the real shutdown begin. Returns `shutdown(signal?)` to trigger it by hand and `uninstall()`.
 */
export function planShutdown(probe: ProbeState, plan: ResolvedShutdownOptions) {
  let started: Promise<void> | undefined;

  const shutdown = (signal?: NodeJS.Signals): Promise<void> => {
    started ??= (async () => {
      probe.drain();
      await new Promise((resolve) => setTimeout(resolve, plan.delayMs));
      if (plan.onShutdown) {
        await plan.onShutdown(signal);
      } else if (signal) {
        // Nobody else handles it: let the signal do what it would have done without us.
        uninstall();
        process.kill(process.pid, signal);
      }
    })();
    return started;
  };

  const listener = (signal: NodeJS.Signals) => void shutdown(signal);
  for (const signal of plan.signals) process.on(signal, listener);
  const uninstall = () => {
    for (const signal of plan.signals) process.off(signal, listener);
  };
  return { shutdown, uninstall };
}
