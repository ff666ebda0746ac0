import type { FleetLogger } from '@koa-fleet/contracts';

/**
 * Logs a refused reload, naming the field when one is wrong: the CLI's SIGHUP has no other way
 * to say why the config in use was kept.
 */
export function logReloadRefusal(logger: FleetLogger, error: unknown): void {
  const { code, message, option } = error as { code?: string; message?: string; option?: string };
  logger.error(
    { code, ...(option !== undefined && { option }) },
    `reload refused: ${message ?? String(error)}; keeping the config in use`,
  );
}
