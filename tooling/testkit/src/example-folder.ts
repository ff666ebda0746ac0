import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { trackTempDir } from './internal/registry.js';
import { SupervisedChild } from './internal/supervised-child.js';
import { trackedProcess, type NodeProcess } from './node-process.js';

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A fresh `npm init -y` folder where a README's blocks run as a user would run them. */
export interface ExampleFolder {
  dir: string;
  /** Writes `code` to `file` in the folder, after `replace` (e.g. a free port for 3000). */
  write(file: string, code: string, options?: { replace?: Record<string, string> }): void;
  /**
   * Runs a shell block with bash (`set -e`) and resolves with its output; rejects with it when
   * the block fails. `npm install @koa-fleet/x …` installs the packed tarball of the workspace's
   * package instead of the registry's (and the tarballs of the @koa-fleet packages it needs).
   */
  sh(
    script: string,
    options?: { env?: Record<string, string>; replace?: Record<string, string>; timeout?: number },
  ): Promise<{ stdout: string; stderr: string }>;
  /** Starts a shell block in the background (its own process group, stopped by stopAll). */
  start(
    script: string,
    options?: {
      env?: Record<string, string>;
      replace?: Record<string, string>;
      readyLine?: RegExp;
    },
  ): Promise<NodeProcess>;
}

export async function exampleFolder(): Promise<ExampleFolder> {
  const dir = mkdtempSync(join(tmpdir(), 'kf-readme-'));
  trackTempDir(dir);
  const env = { ...process.env, ...npmQuiet };
  await run('npm', ['init', '-y'], { cwd: dir, env });
  const prepare = async (script: string, replace: Record<string, string> = {}): Promise<string> =>
    rewriteInstalls(substitute(script, replace));
  return {
    dir,
    write(file, code, { replace = {} } = {}) {
      writeFileSync(join(dir, file), substitute(code, replace));
    },
    async sh(script, { env: extra = {}, replace, timeout = 240_000 } = {}) {
      const text = await prepare(script, replace);
      try {
        return await run('bash', ['-e', '-o', 'pipefail', '-c', text], {
          cwd: dir,
          env: { ...env, ...extra },
          timeout,
          maxBuffer: 64 * 1024 * 1024,
        });
      } catch (error) {
        const failed = error as Error & { stdout?: string; stderr?: string };
        failed.message += `\n--- script\n${text}\n--- stdout\n${failed.stdout ?? ''}\n--- stderr\n${failed.stderr ?? ''}`;
        throw failed;
      }
    },
    async start(script, { env: extra = {}, replace, readyLine } = {}) {
      const text = await prepare(script, replace);
      const child = new SupervisedChild('bash', ['-e', '-c', text], {
        cwd: dir,
        env: { ...env, ...extra },
      });
      const node = trackedProcess(child);
      if (readyLine) await child.waitForLine(readyLine, { timeout: 120_000 });
      return node;
    },
  };
}

const npmQuiet = {
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  npm_config_prefer_offline: 'true',
  npm_config_loglevel: 'error',
};

function substitute(text: string, replace: Record<string, string>): string {
  let result = text;
  for (const [from, to] of Object.entries(replace)) {
    if (!result.includes(from)) throw new Error(`"${from}" does not occur in:\n${text}`);
    result = result.replaceAll(from, to);
  }
  return result;
}

const INSTALL = /^(\s*)(npm|pnpm|yarn)\s+(install|i|add)\b(.*)$/;

/** `npm install @koa-fleet/cluster koa` → `npm install /tmp/…/koa-fleet-cluster.tgz … koa`. */
async function rewriteInstalls(script: string): Promise<string> {
  const lines = [];
  for (const line of script.split('\n')) {
    const install = INSTALL.exec(line);
    if (!install) {
      lines.push(line);
      continue;
    }
    if (install[2] !== 'npm' || install[3] !== 'install') {
      throw new Error(`READMEs say "npm install", not "${install[2]} ${install[3]}": ${line}`);
    }
    const [args = '', comment = ''] = install[4]!.split(/(?=\s#)/);
    const words = args.trim().split(/\s+/).filter(Boolean);
    const ours = words.filter((word) => word.startsWith('@koa-fleet/'));
    const tarballs = await packedTarballs(ours);
    const rest = words.filter((word) => !word.startsWith('@koa-fleet/'));
    lines.push(`${install[1]}npm install ${[...tarballs, ...rest].join(' ')}${comment}`);
  }
  return lines.join('\n');
}

const packs = new Map<string, Promise<string>>();
let packDir: string | undefined;

/** Tarballs (`pnpm pack`, so `workspace:` ranges become versions) of the packages and their deps. */
export async function packedTarballs(names: readonly string[]): Promise<string[]> {
  const wanted = new Set<string>();
  const visit = (name: string): void => {
    if (wanted.has(name)) return;
    wanted.add(name);
    const manifest = workspaceManifest(name);
    for (const dep of Object.keys(manifest.json.dependencies ?? {})) {
      if (dep.startsWith('@koa-fleet/')) visit(dep);
    }
  };
  names.forEach(visit);
  // stopAll() removes the kit's temp dirs, the packs among them: pack again after it.
  if (packDir && !existsSync(packDir)) {
    packs.clear();
    packDir = undefined;
  }
  return Promise.all([...wanted].map((name) => pack(name)));
}

function pack(name: string): Promise<string> {
  let packed = packs.get(name);
  if (!packed) {
    if (!packDir) {
      packDir = mkdtempSync(join(tmpdir(), 'kf-packs-'));
      trackTempDir(packDir);
    }
    const dir = packDir;
    packed = (async () => {
      const { stdout } = await run('pnpm', ['pack', '--pack-destination', dir], {
        cwd: workspaceManifest(name).dir,
      });
      const file = stdout.trim().split('\n').pop()!.trim();
      return file.startsWith('/') ? file : join(dir, file);
    })();
    packs.set(name, packed);
  }
  return packed;
}

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
}

function workspaceManifest(name: string): { dir: string; json: Manifest } {
  for (const group of ['packages', 'apps', 'tooling']) {
    for (const entry of readdirSync(join(repoRoot, group))) {
      const dir = join(repoRoot, group, entry);
      try {
        const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
        if (json.name === name) return { dir, json };
      } catch {
        // not a package folder
      }
    }
  }
  throw new Error(`no workspace package is named ${name}`);
}
