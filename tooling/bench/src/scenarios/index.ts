import type { Scenario } from '../scenario.js';
import { balancer } from './balancer.js';
import { cluster } from './cluster.js';
import { clusterBaseline } from './cluster-baseline.js';
import { health } from './health.js';
import { reload } from './reload.js';
import { session } from './session.js';

/** Every scenario `pnpm bench` knows, in the order it runs them. Add a new one here. */
export const scenarios: readonly Scenario[] = [
  clusterBaseline,
  cluster,
  reload,
  health,
  session,
  balancer,
];
