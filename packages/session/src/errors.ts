import { FleetError, InvalidOptionError } from '@koa-fleet/errors';

/**
 * Errors carry a Koa-compatible `status`, `expose` and `headers`, so even without the
 * `session()` helper's JSON mapping Koa's own error handler answers with the right status.
 */
interface HttpErrorShape {
  readonly status: number;
  readonly expose: boolean;
  readonly headers?: Record<string, string>;
}

/** The session backend (Redis or the embedded store) cannot be reached: answer 503, retry later. */
export class SessionUnavailableError extends FleetError implements HttpErrorShape {
  readonly status = 503;
  readonly expose = true;
  readonly headers: Record<string, string>;
  readonly retryAfterSeconds: number;

  constructor(message: string, options?: ErrorOptions & { retryAfterSeconds?: number }) {
    super('KF_SESSION_UNAVAILABLE', message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds ?? 1;
    this.headers = { 'Retry-After': String(this.retryAfterSeconds) };
  }
}

/**
 * Compare-and-set mode found a field changed by another request since this one read it, or an
 * atomic operation targeted a session another request destroyed: answer 409.
 */
export class SessionConflictError extends FleetError implements HttpErrorShape {
  readonly status = 409;
  readonly expose = true;
  readonly fields: readonly string[];

  constructor(message: string, fields: readonly string[] = []) {
    super('KF_SESSION_CONFLICT', message);
    this.fields = fields;
  }
}

/** The session would exceed the `maxBytes` cap: answer 413 and write nothing. */
export class SessionTooLargeError extends FleetError implements HttpErrorShape {
  readonly status = 413;
  readonly expose = true;

  constructor(
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super('KF_SESSION_TOO_LARGE', `session is ${bytes} bytes, over the ${maxBytes}-byte cap`);
  }
}

/**
 * Where the sessions live answered, but cannot serve them (a Redis Cluster master out of reach, a
 * reply that does not fit the request): never thrown to a route, it is the `cause` of the
 * SessionUnavailableError (503) the request gets, and of a red readiness check.
 */
export class SessionBackendError extends FleetError {
  constructor(message: string) {
    super('KF_SESSION_BACKEND', message);
  }
}

/** An atomic helper was used where it cannot work (no session store, custom serializer, …). */
export class SessionUsageError extends FleetError {
  constructor(message: string) {
    super('KF_SESSION_USAGE', message);
  }
}

/** `session(options, app)`: koa-session's argument order given to `session(app, options)`. */
export class SessionArgumentsSwappedError extends InvalidOptionError {
  constructor() {
    super('app', 'a Koa application', 'the options object');
    this.message =
      'session(app, options): the arguments are swapped — koa-session takes (options, app), ' +
      'session() takes (app, options)';
  }
}

/** A koa-session option `session()` does not implement; koa-session with this store does. */
export class UnsupportedOptionError extends InvalidOptionError {
  constructor(option: string) {
    super(option, 'absent', 'a koa-session option');
    this.message =
      `option "${option}" is not supported by session(); ` +
      'use koa-session with this store (koaSession(app, { store }))';
  }
}
