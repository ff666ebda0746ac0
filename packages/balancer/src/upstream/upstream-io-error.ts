/**
 * Why a request to a backend failed at the socket or protocol level. These are causes, never
 * shown to a client: the proxy classifies them (see proxy/failure.ts) into the coded ProxyErrors
 * a client is answered with.
 * - `connect-timeout`, `headers-timeout`, `idle-timeout`: a timeout of that phase.
 * - `closed`: the backend closed or reset the connection before the response ended.
 * - `invalid`: the response was not valid HTTP/1.1, or its head was too large.
 * - `request`: the request could not be written as given (a body stream failed).
 */
export type UpstreamIoReason =
  'connect-timeout' | 'headers-timeout' | 'idle-timeout' | 'closed' | 'invalid' | 'request';

export class UpstreamIoError extends Error {
  readonly reason: UpstreamIoReason;

  constructor(reason: UpstreamIoReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UpstreamIoError';
    this.reason = reason;
  }
}
