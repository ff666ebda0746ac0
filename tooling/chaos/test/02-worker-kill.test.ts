import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { waitFor } from '@koa-fleet/testkit';
import { killRandomWorker } from '../src/faults/kill-random-worker.js';
import { chaosSeed, seededRandom } from '../src/faults/seeded-random.js';
import { startMixedLoad, type LoadStep } from '../src/load/mixed-load.js';
import { reportScenario } from '../src/results/record-scenario.js';
import { fleetStats, readyWorkers } from '../src/system/fleet-workers.js';
import type { ChaosBalancer } from '../src/system/start-balancer.js';
import type { ChaosFleet } from '../src/system/start-fleet.js';
import { startSystem, type ChaosSystem } from '../src/system/start-system.js';

/**
 * Three slots; a kill takes a ready worker only while another one is ready too (with none left,
 * 503 is the right answer, and a restart takes seconds on a loaded machine), and no slot is
 * killed more than KILLS_PER_SLOT times, below the fleet's default maxCrashes (5 within 60 s)
 * after which it gives a crash-looping slot up — by design, not a failure.
 */
const WORKERS = 3;
const KILLS = 10;
const KILL_EVERY = 1000;
/** A round without a spare ready worker kills nobody; the scenario gives up after this many. */
const MAX_ROUNDS = 40;
const KILLS_PER_SLOT = 4;
const CONNECTIONS = 32;
const gets: readonly LoadStep[] = [{ name: 'GET /hello', method: 'GET', path: '/hello' }];

describe('2. kill -9 of a random worker every second behind the balancer', () => {
  let system: ChaosSystem | undefined;
  let fleet: ChaosFleet;
  let balancer: ChaosBalancer;

  beforeAll(async () => {
    system = await startSystem({ fleet: { workers: WORKERS } });
    ({ fleet, balancer } = system);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('fails no GET while the fleet restarts the killed workers', async () => {
    const seed = chaosSeed();
    console.log(`2. worker kill: seed ${seed} (KF_CHAOS_SEED=${seed} replays the choices)`);
    const random = seededRandom(seed);
    const restartsBefore = (await fleetStats(fleet)).restarts;
    const killsOfSlot = new Map<number, number>();
    const killedPids = new Set<number>();

    const load = startMixedLoad({ url: balancer.url, connections: CONNECTIONS, steps: gets });
    await sleep(KILL_EVERY);
    let rounds = 0;
    while (killedPids.size < KILLS && rounds < MAX_ROUNDS) {
      rounds += 1;
      const spare = (await readyWorkers(fleet)).length >= 2;
      const killed = spare
        ? await killRandomWorker(
            fleet,
            random,
            (slot) => (killsOfSlot.get(slot) ?? 0) < KILLS_PER_SLOT,
          )
        : undefined;
      if (killed) {
        killsOfSlot.set(killed.slot, (killsOfSlot.get(killed.slot) ?? 0) + 1);
        killedPids.add(killed.pid);
      }
      await sleep(KILL_EVERY);
    }
    // The load goes on until every slot has a worker again, so the restarts are under it too.
    await waitFor(
      'every slot to have a ready worker again',
      async () => (await readyWorkers(fleet)).length === WORKERS,
      60_000,
    );
    await sleep(KILL_EVERY);
    const counts = await load.stop();
    const after = await fleetStats(fleet);
    const alive = after.workers.filter((worker) => worker.state === 'ready');
    if (counts.failures.length > 0) console.log(`failures:\n${counts.failures.join('\n')}`);

    const report = {
      'kills done': killedPids.size,
      'rounds (1 s)': rounds,
      'restarts seen': after.restarts - restartsBefore,
      'slots ready after': alive.filter((worker) => !killedPids.has(worker.pid)).length,
      GETs: counts.requests,
      failed: counts.failed,
      'non-2xx': counts.non2xx,
    };
    console.log('2. worker kill', report, 'kills by slot', Object.fromEntries(killsOfSlot));
    reportScenario({
      order: 2,
      title: 'kill -9 of a random worker every second, behind the balancer',
      proves: `with ${WORKERS} workers on per-worker ports behind koa-fleet-balancer following the fleet (default retries), ${KILLS} SIGKILLs of a seeded-random ready worker at least a second apart — each while another worker is ready, at most ${KILLS_PER_SLOT} per slot (below the fleet's crash-loop limit) — fail no GET of ${CONNECTIONS} keep-alive connections: the balancer retries the GETs the dead worker took down and cuts at once the tries still waiting on its port, and the fleet restarts every killed worker`,
      counts: report,
      expected: {
        'kills done': KILLS,
        'restarts seen': { atLeast: KILLS },
        'slots ready after': WORKERS,
        failed: 0,
        'non-2xx': 0,
      },
    });
  });
});
