import { defineConfig } from 'tsup';
import { packageBuild } from '@koa-fleet/tooling/tsup';

export default [
  // cli is the bin (bin/koa-fleet-balancer.js imports dist/cli.js), built next to index; the
  // shims give the CJS build the import.meta.url that src/internal/package-files.ts reads.
  packageBuild({ entry: ['src/index.ts', 'src/cli.ts'], shims: true }),
  // The dashboard's script, for the browser: one file, no dependency, served by the admin listener.
  defineConfig({
    entry: { dashboard: 'dashboard/src/main.ts' },
    outDir: 'dashboard/dist',
    format: ['iife'],
    platform: 'browser',
    target: 'es2022',
    tsconfig: 'dashboard/tsconfig.json',
    outExtension: () => ({ js: '.js' }),
    sourcemap: true,
    clean: true,
    minify: true,
  }),
];
