import { FleetError } from '@koa-fleet/errors';

/** A check did not settle within its timeout; the probe reports it as failed and moves on. */
export class CheckTimeoutError extends FleetError {
  readonly check: string;
  readonly timeoutMs: number;
  constructor(check: string, timeoutMs: number) {
    super('KF_HEALTH_CHECK_TIMEOUT', `check "${check}" did not answer within ${timeoutMs} ms`);
    this.check = check;
    this.timeoutMs = timeoutMs;
  }
}

/** A built-in check observed a value past its limit (or a dependency answered wrongly). */
export class CheckFailedError extends FleetError {
  constructor(message: string) {
    super('KF_HEALTH_CHECK_FAILED', message);
  }
}

/** The primary could not answer a fleet request (no fleet plugin, or the IPC timed out). */
export class FleetUnavailableError extends FleetError {
  constructor(what: string, options?: ErrorOptions) {
    super('KF_HEALTH_FLEET_UNAVAILABLE', `the fleet could not answer ${what}`, options);
  }
}

/**
 * The other side of the fleet asked for a request this copy of the package does not know: the
 * primary and the workers run different versions of @koa-fleet/health. Its code crosses the IPC.
 */
export class UnknownRequestError extends FleetError {
  readonly namespace: string;
  readonly type: string;
  constructor(namespace: string, type: string) {
    super('KF_HEALTH_UNKNOWN_REQUEST', `unknown ${namespace} request "${type}"`);
    this.namespace = namespace;
    this.type = type;
  }
}
