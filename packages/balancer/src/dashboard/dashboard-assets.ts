import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../internal/package-files.js';

/** The dashboard's files by path on the admin listener, from the package's `dashboard/` folder. */
const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'dashboard/public/index.html', type: 'text/html; charset=utf-8' },
  '/dashboard.css': { file: 'dashboard/public/dashboard.css', type: 'text/css; charset=utf-8' },
  // Built by tsup from dashboard/src/ (a browser bundle with no dependency).
  '/dashboard.js': { file: 'dashboard/dist/dashboard.js', type: 'text/javascript; charset=utf-8' },
};

/**
 * Its scripts and styles from this listener only; `connect-src *` because its bounded load goes
 * to the balancer's own port, another origin.
 */
const POLICY = "default-src 'self'; connect-src *; img-src 'self' data:; frame-ancestors 'none'";

/**
 * The dashboard page, served by the admin listener. The files hold no data — everything on the
 * page comes from the admin API, with the token when the listener has one — so they are served
 * without it: a browser cannot send a Bearer header when it opens a page.
 */
export class DashboardAssets {
  readonly #cache = new Map<string, Promise<Buffer>>();

  has(pathname: string): boolean {
    return Object.hasOwn(ASSETS, pathname);
  }

  async send(pathname: string, res: ServerResponse, head: boolean): Promise<void> {
    const asset = ASSETS[pathname]!;
    let body = this.#cache.get(pathname);
    if (!body) {
      body = readFile(join(PACKAGE_ROOT, asset.file));
      this.#cache.set(pathname, body);
      // A file missing once (a build not run yet) is looked for again next time.
      body.catch(() => this.#cache.delete(pathname));
    }
    const bytes = await body;
    res.writeHead(200, {
      'content-type': asset.type,
      'content-length': bytes.length,
      'cache-control': 'no-cache',
      'content-security-policy': POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.end(head ? undefined : bytes);
  }
}
