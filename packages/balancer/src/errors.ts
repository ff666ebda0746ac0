import { FleetError } from '@koa-fleet/errors';

/**
 * An error the balancer answers a client with. `status` is the HTTP status it becomes; the
 * message is for logs (it names the backend), never for the client, who gets a short body.
 */
export abstract class ProxyError extends FleetError {
  abstract readonly status: 400 | 413 | 501 | 502 | 503 | 504;
}

/**
 * No backend may take the request — each is draining or at its `maxConns` (one that is only down
 * is tried when none is up): answered 503 with `Retry-After`.
 */
export class NoBackendError extends ProxyError {
  readonly status = 503;
  constructor() {
    super('KF_BALANCER_NO_BACKEND', 'no backend is available (all draining or full)');
  }
}

/**
 * The request cannot be sent on as it is: a target that is not a path, or framing a server
 * behind could read otherwise (RFC 9112): 400, and the connection is closed.
 */
export class BadRequestError extends ProxyError {
  readonly status = 400;
  /** `reason` says what is wrong, for logs. */
  constructor(reason?: string, options?: ErrorOptions) {
    super(
      'KF_BALANCER_BAD_REQUEST',
      reason
        ? `the request cannot be forwarded: ${reason}`
        : 'the request cannot be forwarded as it is',
      options,
    );
  }
}

/** The request's body is larger than `client.maxBodySize`: 413, and the connection is closed. */
export class BodyTooLargeError extends ProxyError {
  readonly status = 413;
  readonly limit: number;
  constructor(limit: number) {
    super(
      'KF_BALANCER_BODY_TOO_LARGE',
      `the request body is larger than client.maxBodySize (${limit} bytes)`,
    );
    this.limit = limit;
  }
}

/**
 * The request's body is sent with a transfer coding other than `chunked` (`gzip, chunked`): the
 * balancer cannot decode it, and must not pass it on undeclared (RFC 9112 §6.1): 501.
 */
export class TransferCodingError extends ProxyError {
  readonly status = 501;
  constructor(codings: string) {
    super(
      'KF_BALANCER_TRANSFER_CODING',
      `the request uses a transfer coding the balancer does not implement (${codings})`,
    );
  }
}

/** The backend refused the connection or could not be reached: 502. */
export class UpstreamRefusedError extends ProxyError {
  readonly status = 502;
  constructor(backend: string, options?: ErrorOptions) {
    super('KF_BALANCER_UPSTREAM_REFUSED', `backend ${backend} refused the connection`, options);
  }
}

/** The backend closed or reset the connection before its answer was complete: 502. */
export class UpstreamResetError extends ProxyError {
  readonly status = 502;
  constructor(backend: string, options?: ErrorOptions) {
    super('KF_BALANCER_UPSTREAM_RESET', `backend ${backend} closed the connection`, options);
  }
}

/** The backend's answer was not valid HTTP (nginx's `invalid_header`): 502. */
export class UpstreamInvalidResponseError extends ProxyError {
  readonly status = 502;
  constructor(backend: string, options?: ErrorOptions) {
    super('KF_BALANCER_UPSTREAM_INVALID', `backend ${backend} sent an invalid response`, options);
  }
}

/**
 * The backend answered with a status `nextUpstream` lists (`http_503`, …), so the request went
 * to the next backend. Only reported (events, logs): the last backend's answer is forwarded as is.
 */
export class UpstreamStatusError extends ProxyError {
  readonly status = 502;
  readonly upstreamStatus: number;
  constructor(backend: string, upstreamStatus: number) {
    super('KF_BALANCER_UPSTREAM_STATUS', `backend ${backend} answered ${upstreamStatus}`);
    this.upstreamStatus = upstreamStatus;
  }
}

/** Which limit ran out: see the `timeouts` option. */
export type TimeoutPhase = 'connect' | 'headers' | 'idle' | 'total';

/** The backend did not connect, answer or go on sending within its timeout: 504. */
export class UpstreamTimeoutError extends ProxyError {
  readonly status = 504;
  readonly phase: TimeoutPhase;
  constructor(backend: string, phase: TimeoutPhase, options?: ErrorOptions) {
    super(
      'KF_BALANCER_UPSTREAM_TIMEOUT',
      `backend ${backend} timed out (${phase === 'total' ? 'total' : phase} timeout)`,
      options,
    );
    this.phase = phase;
  }
}

/** The balancer could not listen on its address (taken, or not allowed). */
export class ListenError extends FleetError {
  constructor(address: string, reason: string, options?: ErrorOptions) {
    super('KF_BALANCER_LISTEN', `cannot listen on ${address}: ${reason}`, options);
  }
}

/**
 * The TLS certificate or key cannot be read or does not make a secure context (a missing file,
 * not PEM, a key that is not the certificate's). At start the balancer does not start; on a
 * reload it keeps the certificate it has.
 */
export class CertificateError extends FleetError {
  readonly file: string;
  constructor(file: string, reason: string, options?: ErrorOptions) {
    super('KF_BALANCER_CERTIFICATE', `TLS certificate ${file}: ${reason}`, options);
    this.file = file;
  }
}

/** `listen()` on a balancer that is closing or closed, or a second `listen()`. */
export class BalancerStateError extends FleetError {
  constructor(message: string) {
    super('KF_BALANCER_STATE', message);
  }
}

/** The CLI's `--config` file cannot be read or does not parse. */
export class ConfigFileError extends FleetError {
  readonly file: string;
  constructor(file: string, reason: string, options?: ErrorOptions) {
    super('KF_BALANCER_CONFIG_FILE', `config file ${file}: ${reason}`, options);
    this.file = file;
  }
}

/** A backend change names a backend the balancer does not have (the admin API answers 404). */
export class UnknownBackendError extends FleetError {
  readonly backend: string;
  constructor(backend: string) {
    super('KF_BALANCER_UNKNOWN_BACKEND', `no backend ${backend} in the balancer`);
    this.backend = backend;
  }
}

/**
 * `removeBackend()` of the last backend not already leaving: a balancer always has one to send
 * to (the admin API answers 409). Add the replacement first, then remove.
 */
export class LastBackendError extends FleetError {
  readonly backend: string;
  constructor(backend: string) {
    super(
      'KF_BALANCER_LAST_BACKEND',
      `backend ${backend} is the last one: add another before removing it`,
    );
    this.backend = backend;
  }
}

/**
 * With `--workers`: no balancer process answered the admin listener in the primary (they are
 * starting, or the fleet is stopping); the admin API answers 503.
 */
export class NoWorkerError extends FleetError {
  constructor(what: string) {
    super('KF_BALANCER_NO_WORKER', `no balancer process answered (${what})`);
  }
}

/**
 * `reload()` of a config that changes an option only a restart can change (`port`, `host`, `tls`,
 * `strategy`, `admin`, …): nothing is applied, the config in use stays. `option` names it.
 */
export class ReloadRestartError extends FleetError {
  readonly option: string;
  constructor(option: string) {
    super(
      'KF_BALANCER_RELOAD_RESTART',
      `option "${option}" cannot change on a reload (restart the balancer for it); keeping the config in use`,
    );
    this.option = option;
  }
}

/**
 * A reload asked of a balancer that has nowhere to read its config from again (the CLI without
 * `--config`, or a balancer without `setConfigSource()`): the admin API answers 409.
 */
export class ReloadUnavailableError extends FleetError {
  constructor() {
    super(
      'KF_BALANCER_RELOAD_UNAVAILABLE',
      'there is no config file to reload (start the balancer with --config)',
    );
  }
}

/** The admin API names a fleet the balancer does not follow (it answers 404). */
export class UnknownFleetError extends FleetError {
  readonly fleet: string;
  constructor(fleet: string) {
    super('KF_BALANCER_UNKNOWN_FLEET', `no fleet ${fleet} in the balancer`);
    this.fleet = fleet;
  }
}

/**
 * A fleet in `fleets` cannot be followed: nothing answers on its control socket at start-up (the
 * balancer does not start), or it does not give each worker a port of its own.
 */
export class FleetConnectError extends FleetError {
  readonly fleet: string;
  constructor(fleet: string, control: string, reason: string, options?: ErrorOptions) {
    super('KF_BALANCER_FLEET_CONNECT', `fleet ${fleet} (${control}): ${reason}`, options);
    this.fleet = fleet;
  }
}

/**
 * A fleet command from the admin API (stats, reload, restart) did not get through: the fleet's
 * primary is not connected now, or it refused (`remoteCode`, e.g. `KF_RELOAD_ABORTED`); the
 * admin API answers 503.
 */
export class FleetCommandError extends FleetError {
  readonly fleet: string;
  readonly remoteCode: string | undefined;
  constructor(fleet: string, reason: string, remoteCode?: string, options?: ErrorOptions) {
    super('KF_BALANCER_FLEET_COMMAND', `fleet ${fleet}: ${reason}`, options);
    this.fleet = fleet;
    this.remoteCode = remoteCode;
  }
}
