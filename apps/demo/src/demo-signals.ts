import type { Logger } from '@koa-fleet/cluster';

/**
 * Longer than a terminal and pnpm take to deliver one Ctrl-C twice (the terminal signals the
 * whole group, pnpm forwards its copy), shorter than a person pressing again — the cluster's
 * own rule for its primary, which the demo's primary takes over.
 */
const SAME_CTRL_C_MS = 1000;

export interface SignalTarget {
  /** Graceful: the balancer finishes what is in flight, then the fleet drains. */
  stop(signal: NodeJS.Signals): void;
  /** A second Ctrl-C: everything ends now. */
  kill(): void;
  /** SIGHUP: a rolling reload of the workers. */
  reload(): void;
}

/**
 * SIGTERM and SIGINT stop gracefully; a repeated SIGTERM and the forwarded copy of a Ctrl-C are
 * ignored; a second Ctrl-C later kills everything and exits 130. SIGHUP reloads the workers.
 */
export function handleDemoSignals(target: SignalTarget, logger: Logger): void {
  let stoppingSince: number | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (stoppingSince === undefined) {
      stoppingSince = Date.now();
      logger.info(`${signal}: stopping the balancer, then the fleet`);
      target.stop(signal);
      return;
    }
    if (signal === 'SIGINT' && Date.now() - stoppingSince >= SAME_CTRL_C_MS) {
      logger.warn('second Ctrl-C: killing everything now');
      target.kill();
      process.exit(130);
    }
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => {
    logger.info('SIGHUP: rolling reload of the workers');
    target.reload();
  });
}
