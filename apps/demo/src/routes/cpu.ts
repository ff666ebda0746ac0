import { burnCpu } from '../cpu-work.js';
import type { Route } from '../router.js';
import type { WorkerView } from '../worker-view.js';

/** `GET /cpu`: about 1 ms of CPU per request. */
export function cpuRoutes(view: WorkerView): Route[] {
  return [
    {
      method: 'GET',
      path: '/cpu',
      handle(ctx) {
        ctx.body = { ...view, cpuMs: 1, result: burnCpu(1) };
      },
    },
  ];
}
