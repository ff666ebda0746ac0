import { describe, expect, it } from 'vitest';
import { WorkerExecMissingError } from '../../errors.js';
import { workerExecPath } from './worker-exec.js';

describe('workerExecPath', () => {
  it('names the built bootstrap next to the bundle, and refuses one that is not built', () => {
    const error = (() => {
      try {
        return workerExecPath('file:///nowhere/dist/index.cjs');
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(WorkerExecMissingError);
    expect(error).toMatchObject({
      code: 'KF_WORKER_EXEC_MISSING',
      path: '/nowhere/dist/worker-main.cjs',
      message:
        'worker bootstrap /nowhere/dist/worker-main.cjs is missing: build @koa-fleet/cluster first',
    });
  });
});
