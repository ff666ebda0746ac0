import { FleetError } from '@koa-fleet/errors';

/** Making, changing or removing the suite's network namespaces failed; `ip`'s message says why. */
export class HostNetworkError extends FleetError {
  constructor(message: string, options?: ErrorOptions) {
    super('KF_CHAOS_HOST_NETWORK', message, options);
  }
}

/** The balancer's admin event stream could not be followed. */
export class AdminStreamError extends FleetError {
  constructor(message: string) {
    super('KF_CHAOS_ADMIN_STREAM', message);
  }
}

/** The open-file limit is too low for the sockets a scenario needs, and cannot be raised. */
export class OpenFilesError extends FleetError {
  constructor(message: string) {
    super('KF_CHAOS_OPEN_FILES', message);
  }
}
