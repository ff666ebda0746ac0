import { FleetError } from '@koa-fleet/errors';

/**
 * A port the demo needs is taken. Found before anything starts, so the message can name the
 * flag that moves it: `port 8080 is taken (--port): pick another with --port <port>`.
 */
export class PortTakenError extends FleetError {
  readonly port: number;
  readonly flag: string;
  constructor(port: number, flag: string) {
    super(
      'KF_DEMO_PORT_TAKEN',
      `port ${port} is taken (${flag}): pick another with ${flag} <port>`,
    );
    this.port = port;
    this.flag = flag;
  }
}

/**
 * The balancer process kept crashing: `maxCrashes` exits within the crash window. The demo
 * stops rather than restart it for ever; `reason` is the last exit.
 */
export class BalancerCrashLoopError extends FleetError {
  constructor(crashes: number, reason: string) {
    super(
      'KF_DEMO_BALANCER_CRASH_LOOP',
      `the balancer exited ${crashes} times in a row (last: ${reason}); giving up`,
    );
  }
}

/** `demo:load` could not read what it reports on: the balancer's answers or its admin API. */
export class LoadTargetError extends FleetError {
  constructor(message: string, options?: ErrorOptions) {
    super('KF_DEMO_LOAD_TARGET', message, options);
  }
}

/** The balancer process did not get to listen: `reason` is why (its own error's message). */
export class BalancerStartError extends FleetError {
  /** The balancer's error code when it reported one (`KF_BALANCER_LISTEN`, …). */
  readonly reason: string | undefined;
  constructor(reason: string | undefined, message: string) {
    super('KF_DEMO_BALANCER_START', `the balancer could not start: ${message}`);
    this.reason = reason;
  }
}

/**
 * `--hosts 2` without Redis: each host's primary embeds a store of its own, so a session would
 * not follow a user from one host to the other. The message says how to get a Redis.
 */
export class RedisRequiredError extends FleetError {
  constructor(hosts: number) {
    super(
      'KF_DEMO_REDIS_REQUIRED',
      `--hosts ${hosts} shares sessions through Redis: start one with "redis-server --port 6379 --daemonize yes" and set REDIS_URL=redis://127.0.0.1:6379`,
    );
  }
}
