/**
 * The logger a supervisor hands to plugins, by shape: a pino `Logger` fits, and so does any
 * logger with pino's calling convention (an object of fields first, then the message).
 */
export interface FleetLogger {
  debug: FleetLogFn;
  info: FleetLogFn;
  warn: FleetLogFn;
  error: FleetLogFn;
  child(bindings: Record<string, unknown>): FleetLogger;
}

export interface FleetLogFn {
  (fields: object, message?: string): void;
  (message: string): void;
}
