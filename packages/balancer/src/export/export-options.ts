import { checkBoolean, checkKnownKeys, checkString, InvalidOptionError } from '@koa-fleet/errors';
import { resolveOptions, type BalancerConfig, type ResolvedBalancerOptions } from '../options.js';

/** How `exportNginxConfig()` and `exportHaproxyConfig()` write the config. */
export interface ExportOptions {
  /**
   * A whole file the engine runs as it is (nginx: the main context, `events {}` and `http {}`;
   * HAProxy: `global`, `defaults`, the frontend and the backend) instead of a snippet for an
   * existing installation. Default false.
   */
  full?: boolean;
  /**
   * The name of the upstream (nginx) or the frontend and backend (HAProxy), and the prefix of
   * the variables the config sets, so two exports can sit side by side. Default 'koa_fleet'.
   */
  name?: string;
}

/** What the translators work from: the balancer's options as `createBalancer()` resolves them. */
export interface ExportInput {
  balancer: ResolvedBalancerOptions;
  full: boolean;
  name: string;
}

const EXPORT_KEYS = Object.keys({
  full: true,
  name: true,
} satisfies Record<keyof ExportOptions, true>);

/** Letters, digits and `_`: a name nginx variables and HAProxy sections and variables all take. */
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/**
 * The config is checked by the same resolveOptions() as createBalancer()'s, so a config the
 * balancer refuses is refused here with the same error. An engine cannot pick a free port, so
 * port 0 — fine for the balancer — is refused too.
 */
export function resolveExport(config: BalancerConfig, options: ExportOptions = {}): ExportInput {
  const balancer = resolveOptions(config);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionError('options', 'an object such as { full: true }', options);
  }
  checkKnownKeys('', options, EXPORT_KEYS);
  if (balancer.fleets.length > 0) {
    // The workers a fleet has are only known while it runs: an engine's config lists servers.
    throw new InvalidOptionError(
      'fleets',
      "absent from an export (list the workers' ports as backends)",
      config.fleets,
    );
  }
  const noFreePort = 'a port from 1 to 65535 (an exported config cannot pick a free one)';
  if (balancer.port === 0) throw new InvalidOptionError('port', noFreePort, 0);
  if (balancer.tls?.httpRedirectPort === 0) {
    throw new InvalidOptionError('tls.httpRedirectPort', noFreePort, 0);
  }
  const name = checkString('name', options.name ?? 'koa_fleet');
  if (!NAME.test(name)) {
    throw new InvalidOptionError('name', 'a letter, then letters, digits or "_"', name);
  }
  return { balancer, full: checkBoolean('full', options.full ?? false), name };
}
