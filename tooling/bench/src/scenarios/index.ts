import type { Scenario } from '../scenario.js';
import { cluster } from './cluster.js';
import { clusterBaseline } from './cluster-baseline.js';
import { reload } from './reload.js';

/** Every scenario `pnpm bench` knows, in the order it runs them. Add a new one here. */
export const scenarios: readonly Scenario[] = [clusterBaseline, cluster, reload];
