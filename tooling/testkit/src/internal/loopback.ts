import { InvalidOptionError } from '../errors.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Tests and loads only ever talk to this machine: anything but a loopback URL is refused. */
export function assertLoopback(url: string): void {
  let hostname: string;
  try {
    hostname = new URL(url).hostname;
  } catch {
    throw new InvalidOptionError('url', 'an absolute http URL', url);
  }
  if (!LOOPBACK_HOSTS.has(hostname)) {
    throw new InvalidOptionError('url', 'a loopback URL (127.0.0.1, localhost or [::1])', url);
  }
}
