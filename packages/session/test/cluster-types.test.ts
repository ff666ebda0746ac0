import type { FleetPlugin, WorkerContext } from '@koa-fleet/cluster';
import { describe, expectTypeOf, it } from 'vitest';
import type { EmbeddedStoreOptions, SessionFleetPlugin } from '../dist/index.js';

// Compile-time: checked by `pnpm typecheck` — this package takes the parts of the IPC seam it
// needs from @koa-fleet/contracts, never from the cluster, so a drift in @koa-fleet/cluster must
// fail here.
describe('structural fit with @koa-fleet/cluster', () => {
  it('is a FleetPlugin and takes a WorkerContext.ipc', () => {
    expectTypeOf<SessionFleetPlugin>().toExtend<FleetPlugin>();
    expectTypeOf<WorkerContext['ipc']>().toExtend<EmbeddedStoreOptions['ipc']>();
  });
});
