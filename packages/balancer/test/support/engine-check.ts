import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { haproxyBinary, nginxBinary } from '@koa-fleet/testkit';

const run = promisify(execFile);

/** What an engine's config check said: ok, and its whole output (warnings included). */
export interface EngineVerdict {
  ok: boolean;
  output: string;
}

async function verdict(binary: string, args: string[]): Promise<EngineVerdict> {
  try {
    const { stdout, stderr } = await run(binary, args, { timeout: 30_000 });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: stdout + stderr };
  }
}

/**
 * `nginx -t` of an exported file: a whole nginx.conf as it is, or a snippet included in the
 * `http {}` of a bare nginx.conf as conf.d/ would be. Everything nginx writes stays in a temp dir.
 */
export function nginxAccepts(text: string, { full }: { full: boolean }): Promise<EngineVerdict> {
  const dir = mkdtempSync(join(tmpdir(), 'kf-export-nginx-'));
  const exported = join(dir, full ? 'nginx.conf' : 'koa-fleet.conf');
  writeFileSync(exported, text);
  const main = join(dir, 'nginx.conf');
  if (!full) writeFileSync(main, `events {}\nhttp {\n    include ${exported};\n}\n`);
  const errorLog = join(dir, 'error.log');
  return verdict(nginxBinary(), ['-t', '-c', main, '-p', dir, '-e', errorLog]);
}

/**
 * `haproxy -c` of an exported file: a whole haproxy.cfg as it is, or a frontend and backend
 * after the global and defaults sections of an installation that logs.
 */
export function haproxyAccepts(text: string, { full }: { full: boolean }): Promise<EngineVerdict> {
  const dir = mkdtempSync(join(tmpdir(), 'kf-export-haproxy-'));
  const file = join(dir, 'haproxy.cfg');
  const installation = 'global\n    log stdout format raw local0\n\ndefaults\n    mode http\n\n';
  writeFileSync(file, full ? text : installation + text);
  return verdict(haproxyBinary(), ['-c', '-f', file]);
}

/** HAProxy finds a certificate's key in `<cert>.key`: a copy of the key file there. */
export function keyBesideCertificate(cert: string, key: string): string {
  copyFileSync(key, `${cert}.key`);
  return `${cert}.key`;
}
