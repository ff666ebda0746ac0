import { pino } from 'pino';
import type { Logger, LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

/**
 * The fleet's logger: pino JSON lines (one object per line, for log shippers), or pino-pretty
 * when a person watches the terminal. Workers inherit the primary's stdout, so they decide alike.
 */
export function createLogger(level: LevelWithSilent = 'info', name = 'koa-fleet'): Logger {
  if (process.stdout.isTTY && process.env.KOA_FLEET_LOG_FORMAT !== 'json') {
    return pino({ name, level }, pretty({ colorize: true, sync: true }));
  }
  // Synchronous writes: a worker that exits right after logging (crash, drain) loses nothing.
  return pino({ name, level }, pino.destination({ dest: 1, sync: true }));
}
