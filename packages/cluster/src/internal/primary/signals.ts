import type { Logger } from 'pino';

/**
 * Longer than a terminal and a package manager take to deliver one Ctrl-C, even on a loaded
 * machine (copies more than 500 ms apart were seen under CI load); shorter than a person who
 * sees the stop hang and presses again.
 */
const SAME_CTRL_C_MS = 1000;

export interface SignalTarget {
  stop(): Promise<void>;
  reload(): Promise<void>;
  /** SIGKILLs every worker now. */
  kill(): void;
}

/**
 * SIGTERM and SIGINT stop gracefully; a repeated SIGTERM is ignored (orchestrators resend it),
 * a second SIGINT is a person insisting, so it kills the workers and exits 130. SIGHUP reloads.
 * One Ctrl-C often arrives twice, milliseconds apart: the terminal signals the whole process
 * group and npm/pnpm forward it to their script. A SIGINT within `SAME_CTRL_C_MS` of the first
 * is that copy, not a second press.
 * Returns the function that removes the handlers.
 */
export function handleSignals(
  target: SignalTarget,
  logger: Logger,
  onStopRequested: () => void,
): () => void {
  let stopping = false;
  let firstInterrupt = 0;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      if (signal === 'SIGINT' && Date.now() - firstInterrupt < SAME_CTRL_C_MS) {
        logger.debug('SIGINT again at once (the same Ctrl-C, forwarded): ignored');
        return;
      }
      if (signal === 'SIGINT') {
        logger.warn('second SIGINT: killing the workers and exiting now');
        target.kill();
        process.exit(130);
      }
      logger.warn({ signal }, `${signal} while stopping: ignored`);
      return;
    }
    stopping = true;
    if (signal === 'SIGINT') firstInterrupt = Date.now();
    logger.info({ signal }, `${signal}: stopping gracefully`);
    onStopRequested();
    void target.stop();
  };
  const onTerm = () => stop('SIGTERM');
  const onInt = () => stop('SIGINT');
  const onHup = () => {
    logger.info('SIGHUP: rolling reload');
    target.reload().catch(() => {}); // the reload logs its own outcome
  };
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  process.on('SIGHUP', onHup);
  return () => {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    process.off('SIGHUP', onHup);
  };
}
