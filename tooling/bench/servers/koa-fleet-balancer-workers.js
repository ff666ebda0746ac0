// koa-fleet's balancer on 2 processes, as a user runs it: the CLI `koa-fleet-balancer --workers 2`
// (through @koa-fleet/cluster) with the same features on as the 1-process contender. The fleet
// forks this script as each worker with the same arguments, so every process reads the same flags.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { backendsFromEnv, host, port } from './proxy-env.js';

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('@koa-fleet/balancer/package.json'));

process.argv = [
  process.argv[0],
  process.argv[1],
  '--workers',
  '2',
  '--port',
  String(port),
  '--host',
  host,
  '--strategy',
  'round-robin',
  '--health-check',
  '/hello', // the backends' only route; a fleet would answer /readyz
  ...backendsFromEnv().flatMap((url) => ['--backend', url]),
];
await import(join(packageDir, 'bin', 'koa-fleet-balancer.js'));
