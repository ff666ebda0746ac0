/**
 * Errors the test kit throws on purpose. They carry the same stable `KF_...` codes as every
 * koa-fleet error, so `isFleetError()` from @koa-fleet/errors recognises them by `code`.
 * They cannot extend FleetError itself: @koa-fleet/errors uses the test kit for its own tests,
 * and a dependency back would make the workspace graph cyclic.
 */
export class TestkitError extends Error {
  readonly code: `KF_${string}`;

  constructor(code: `KF_${string}`, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Same code and message shape as @koa-fleet/errors' InvalidOptionError. */
export class InvalidOptionError extends TestkitError {
  constructor(option: string, expected: string, got: unknown) {
    super(
      'KF_INVALID_OPTION',
      `option "${option}" must be ${expected}, got ${JSON.stringify(got)}`,
    );
  }
}

/** A binary the kit needs (redis-server, redis-cli, nginx) is not installed. */
export class MissingBinaryError extends TestkitError {
  constructor(binary: string, installHint: string) {
    super('KF_TESTKIT_MISSING_BINARY', `${binary} not found: ${installHint}`);
  }
}

/** A server or process did not become ready; the message carries what it printed. */
export class StartupError extends TestkitError {
  constructor(message: string, options?: ErrorOptions) {
    super('KF_TESTKIT_STARTUP', message, options);
  }
}

/** Waiting for a line, an exit or a state took longer than its timeout. */
export class WaitTimeoutError extends TestkitError {
  constructor(message: string) {
    super('KF_TESTKIT_TIMEOUT', message);
  }
}

/** Network namespaces (`ip netns`) cannot be made here: not root, no iproute2, or refused. */
export class NetnsUnavailableError extends TestkitError {
  constructor(reason: string) {
    super('KF_TESTKIT_NETNS_UNAVAILABLE', `network namespaces are not available: ${reason}`);
  }
}
