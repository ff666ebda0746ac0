/**
 * The header a draining worker puts on every response (seam 3), with `Connection: close`, so a
 * balancer stops routing to it before its sockets close.
 */
export const DRAIN_HEADER = 'Fleet-Draining';
