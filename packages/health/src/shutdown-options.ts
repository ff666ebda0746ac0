import { checkDuration, checkFunction, InvalidOptionError } from '@koa-fleet/errors';

type OnShutdown = (signal: NodeJS.Signals | undefined) => void | Promise<void>;

/** The options of the orchestrator-friendly shutdown; the values are checked here. */
export interface ShutdownInput {
  shutdownDelay?: unknown;
  shutdownSignals?: unknown;
  onShutdown?: unknown;
}

export interface ResolvedShutdownOptions {
  signals: NodeJS.Signals[];
  delayMs: number;
  onShutdown: OnShutdown | undefined;
}

/**
 * `supervised`: a lifecycle was given, so the supervisor owns the signals and none is listened
 * to unless asked for.
 */
export function resolveShutdownOptions(
  input: ShutdownInput,
  { supervised }: { supervised: boolean },
): ResolvedShutdownOptions {
  return {
    delayMs: checkDuration('shutdownDelay', input.shutdownDelay ?? 5_000),
    signals: checkSignals(input.shutdownSignals ?? (supervised ? [] : ['SIGTERM'])),
    onShutdown:
      input.onShutdown === undefined
        ? undefined
        : checkFunction<OnShutdown>('onShutdown', input.onShutdown),
  };
}

function checkSignals(signals: unknown): NodeJS.Signals[] {
  if (
    !Array.isArray(signals) ||
    !signals.every((s) => typeof s === 'string' && /^SIG[A-Z0-9]+$/.test(s))
  ) {
    throw new InvalidOptionError(
      'shutdownSignals',
      'an array of signal names such as "SIGTERM"',
      signals,
    );
  }
  return signals as NodeJS.Signals[];
}
