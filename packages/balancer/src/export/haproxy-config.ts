import type { BalancerConfig } from '../options.js';
import { addCommonNotes } from './common-notes.js';
import { haproxySection, joinParts } from './config-text.js';
import { engineDuration } from './engine-units.js';
import { resolveExport, type ExportOptions } from './export-options.js';
import { ExportNotes } from './export-notes.js';
import { haproxyBackend } from './haproxy-backend.js';
import { haproxyFrontend } from './haproxy-frontend.js';

/** HAProxy keeps this much of its buffer free to rewrite headers in (tune.maxrewrite's default). */
const MAX_REWRITE = 1024;

/**
 * The balancer's config as HAProxy's: by default a `frontend` and a `backend` for an existing
 * installation, with `full` a whole `haproxy.cfg` (`global` and `defaults` too). What HAProxy
 * cannot express as the balancer does is listed in `#` comments at the top. The config is
 * checked as `createBalancer()` checks it, with the same errors.
 */
export function exportHaproxyConfig(config: BalancerConfig, options?: ExportOptions): string {
  const input = resolveExport(config, options);
  const { balancer } = input;
  const notes = new ExportNotes();
  addCommonNotes(input, notes, {
    engine: 'HAProxy',
    readTimeout: 'timeout server',
    drainedBy: balancer.healthCheck
      ? 'its checks see /readyz answer 503 (fall)'
      : 'its requests fail (observe)',
  });
  const frontend = haproxyFrontend(input, notes);
  const backend = haproxyBackend(input, notes);
  const bufsize = balancer.client.maxHeaderSize + MAX_REWRITE;
  notes.add(
    `client.maxHeaderSize is HAProxy's buffer less its rewrite reserve: tune.bufsize ` +
      `${bufsize} in the global section${input.full ? '' : ' (written with --full)'}.`,
  );
  if (!input.full) {
    notes.add(
      `grace (${engineDuration(balancer.graceMs)}): HAProxy's is hard-stop-after ` +
        `${engineDuration(balancer.graceMs)} in the global section (written with --full).`,
    );
  }
  const title = input.full
    ? 'haproxy.cfg exported by koa-fleet-balancer: run it with haproxy -f <this file>.'
    : 'Exported by koa-fleet-balancer: a frontend and a backend for an existing haproxy.cfg.';
  const header = notes.render(title);
  if (!input.full) return joinParts([header, frontend, backend]);
  const global = haproxySection('global', [
    `tune.bufsize ${bufsize}`,
    `hard-stop-after ${engineDuration(balancer.graceMs)}`,
    ...(balancer.logging.accessLog ? ['log stdout format raw local0'] : []),
  ]);
  const defaults = haproxySection('defaults', ['mode http']);
  return joinParts([header, global, defaults, frontend, backend]);
}
