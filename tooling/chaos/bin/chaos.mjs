#!/usr/bin/env node
// `pnpm test:chaos [--report] [vitest args]`: runs the chaos project; --report also rewrites
// docs/reliability.md from the counts measured.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const args = process.argv.slice(2);
const report = args.includes('--report');
const vitestArgs = args.filter((arg) => arg !== '--report' && arg !== '--');
const env = { ...process.env };
if (report) env.KF_CHAOS_REPORT = `${root}docs/reliability.md`;

const result = spawnSync(
  'pnpm',
  ['exec', 'vitest', 'run', '--project', '@koa-fleet/chaos', ...vitestArgs],
  { cwd: root, env, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
