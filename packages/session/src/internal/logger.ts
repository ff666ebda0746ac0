/** The slice of a pino logger this package uses; pino, console wrappers and tests all fit. */
export interface SessionLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

export const consoleLogger: SessionLogger = {
  warn(details, message) {
    console.warn(`[@koa-fleet/session] ${message}`, details);
  },
};
