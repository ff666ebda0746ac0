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
