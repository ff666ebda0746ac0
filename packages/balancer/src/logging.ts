import type { FleetLogger } from '@koa-fleet/contracts';
import { checkBoolean, checkMethods, checkOneOf, InvalidOptionError } from '@koa-fleet/errors';
import { pino } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggingOptions {
  /** A pino logger (or one of its shape) to log to. Default: pino JSON lines on stdout. */
  logger?: FleetLogger;
  /** Level of the default logger. Default 'info'. */
  logLevel?: LogLevel;
  /** One `info` line per response (method, url, status, backend, ms). Default false. */
  accessLog?: boolean;
}

export interface ResolvedLogging {
  /** The given logger; without one the balancer makes one of `level` when it starts. */
  logger: FleetLogger | undefined;
  level: LogLevel;
  accessLog: boolean;
}

const LOGGER_METHODS = ['debug', 'info', 'warn', 'error', 'child'];

export function resolveLogging(input: LoggingOptions): ResolvedLogging {
  if (input.logger !== undefined && input.logLevel !== undefined) {
    throw new InvalidOptionError('logLevel', 'left out when a logger is given', input.logLevel);
  }
  return {
    logger:
      input.logger === undefined
        ? undefined
        : checkMethods<FleetLogger>('logger', input.logger, LOGGER_METHODS, 'a pino-style logger'),
    level: checkOneOf('logLevel', input.logLevel ?? 'info', LOG_LEVELS),
    accessLog: checkBoolean('accessLog', input.accessLog ?? false),
  };
}

/**
 * pino JSON lines on stdout, written synchronously: the CLI exits right after its last line, and
 * an asynchronous destination would lose it (errors are rare; the access log is opt-in).
 */
export function createLogger(level: LogLevel): FleetLogger {
  return pino({ name: 'koa-fleet-balancer', level }, pino.destination({ dest: 1, sync: true }));
}
