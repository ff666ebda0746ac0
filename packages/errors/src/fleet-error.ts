/** Every koa-fleet error code starts with `KF_`, so callers can match on `code` alone. */
export type FleetErrorCode = `KF_${string}`;

/** Base class of every error a koa-fleet package throws on purpose. */
export class FleetError extends Error {
  readonly code: FleetErrorCode;

  constructor(code: FleetErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** True for any koa-fleet error, also across duplicated copies of this package. */
export function isFleetError(error: unknown): error is FleetError {
  if (error instanceof FleetError) return true;
  const code: unknown = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('KF_');
}
