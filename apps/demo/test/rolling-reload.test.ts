import { stopAll, waitFor } from '@koa-fleet/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, keepAliveAgent, startDemo } from './support/demo-process.js';
import { keepAliveLoad } from './support/keep-alive-load.js';

const WORKERS = 2;

describe('pnpm demo: the balancer follows the fleet', () => {
  const agent = keepAliveAgent();
  afterAll(async () => {
    agent.destroy();
    await stopAll();
  });

  it('reloads the workers on kill -HUP <primary> under keep-alive load with 0 failed requests', async () => {
    const demo = await startDemo(WORKERS);
    const load = keepAliveLoad(demo.url, agent);
    await waitFor('the load flowing', () => load.answered >= 200 || load.failures.length > 0);

    process.kill(demo.primaryPid, 'SIGHUP');
    await demo.process.waitForLine(/reload: generation 2 serving on every slot/, {
      timeout: 120_000,
    });
    // Generation 2 answers on every slot through the balancer: the fleet told it the new ports.
    await waitFor(
      'every slot of generation 2 answering through the balancer',
      () =>
        Array.from({ length: WORKERS }, (_, slot) => slot).every((slot) =>
          load.generations.get(slot)?.has(2),
        ) || load.failures.length > 0,
      60_000,
    );
    const answered = load.answered;
    await load.stop();

    expect(load.failures).toEqual([]);
    expect(answered).toBeGreaterThan(200);
    expect(demo.workerPids.every((pid) => !isAlive(pid))).toBe(true);
    demo.process.kill('SIGTERM');
    expect(await demo.process.waitForExit({ timeout: 30_000 })).toEqual({ code: 0, signal: null });
  }, 180_000);
});
