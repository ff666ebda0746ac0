/**
 * A backend's origin as an engine's server line writes it, `host:port` (`[::1]:3001` for IPv6,
 * the scheme's port 80 when the URL leaves it out).
 */
export function backendAddress(origin: string): string {
  const url = new URL(origin);
  return `${url.hostname}:${url.port || '80'}`;
}

/** A listen address: `host:port`, with an IPv6 host in brackets. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
