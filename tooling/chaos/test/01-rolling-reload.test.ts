import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startRedis, type RedisServer } from '@koa-fleet/testkit';
import { rollingReload } from '../src/faults/rolling-reload.js';
import { startMixedLoad, type LoadAnswer } from '../src/load/mixed-load.js';
import { reportScenario } from '../src/results/record-scenario.js';
import { fleetStats } from '../src/system/fleet-workers.js';
import { startBalancer, type ChaosBalancer } from '../src/system/start-balancer.js';
import { startFleet, type ChaosFleet } from '../src/system/start-fleet.js';

const WORKERS = 2;
const CONNECTIONS = 32;
/** Load before the reload starts and after it is done, so both edges are under load. */
const LOAD_AROUND_RELOAD = 3000;

interface Who {
  pid: number;
  generation: number;
}

/**
 * Runs the GET+POST load on `url` through one rolling reload of `fleet`, and counts what came
 * back and which workers answered.
 */
async function loadThroughReload(fleet: ChaosFleet, url: string) {
  const before = await fleetStats(fleet);
  const oldPids = new Set(before.workers.map((worker) => worker.pid));
  const pidsOfGeneration = new Map<number, Set<number>>();
  const onAnswer = ({ status, body }: LoadAnswer) => {
    if (status !== 200) return;
    const { pid, generation } = JSON.parse(body) as Who;
    pidsOfGeneration.set(generation, (pidsOfGeneration.get(generation) ?? new Set()).add(pid));
  };
  const load = startMixedLoad({ url, connections: CONNECTIONS, onAnswer });
  await sleep(LOAD_AROUND_RELOAD);
  // The load runs until the reload is over: rollingReload waits for the fleet's "serving on
  // every slot" line, and the load goes on after it.
  const generation = await rollingReload(fleet);
  await sleep(LOAD_AROUND_RELOAD);
  const counts = await load.stop();
  const after = await fleetStats(fleet);
  const replaced = after.workers.filter(
    (worker) => worker.generation === generation && !oldPids.has(worker.pid),
  ).length;
  if (counts.failures.length > 0) console.log(`failures: ${counts.failures.join('\n')}`);
  return {
    requests: counts.requests,
    'GET /hello': counts.steps['GET /hello']!.requests,
    'POST /echo': counts.steps['POST /echo']!.requests,
    failed: counts.failed,
    'non-2xx': counts.non2xx,
    'workers replaced': replaced,
    'new-generation workers answering': pidsOfGeneration.get(generation)?.size ?? 0,
  };
}

const expected = {
  failed: 0,
  'non-2xx': 0,
  // A reload that did nothing fails here: every slot runs a new process of the new generation.
  'workers replaced': WORKERS,
  'new-generation workers answering': { atLeast: 1 },
};

describe('1. SIGHUP rolling reload under keep-alive GET+POST load', () => {
  let redis: RedisServer;
  let sharedPortFleet: ChaosFleet | undefined;
  let perWorkerFleet: ChaosFleet | undefined;
  let balancer: ChaosBalancer | undefined;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await balancer?.process.stop();
    await perWorkerFleet?.process.stop();
    await sharedPortFleet?.process.stop();
    await redis?.stop();
  });

  it('fails no request of a fleet on one shared port, and replaces every worker', async () => {
    sharedPortFleet = await startFleet({
      workers: WORKERS,
      perWorkerPorts: false,
      redis: { KF_CHAOS_REDIS_URL: redis.url },
    });
    const counts = await loadThroughReload(sharedPortFleet, sharedPortFleet.urls[0]!);
    console.log('1.1 direct', counts);
    reportScenario({
      order: 1.1,
      title: 'Rolling reload (SIGHUP), directly on the shared port',
      proves: `a SIGHUP rolling reload of a ${WORKERS}-worker fleet on one shared port, under ${CONNECTIONS} keep-alive connections of interleaved GET and 2 KB POST, fails no request and answers no non-2xx, and every worker is replaced by one of the new generation`,
      counts,
      expected,
    });
  });

  it('fails no request behind the balancer following the fleet, and replaces every worker', async () => {
    perWorkerFleet = await startFleet({
      workers: WORKERS,
      redis: { KF_CHAOS_REDIS_URL: redis.url },
    });
    balancer = await startBalancer({ config: { fleets: [{ control: perWorkerFleet.pidFile }] } });
    const counts = await loadThroughReload(perWorkerFleet, balancer.url);
    console.log('1.2 behind the balancer', counts);
    reportScenario({
      order: 1.2,
      title: 'Rolling reload (SIGHUP), behind the balancer following the fleet',
      proves: `the same reload of a ${WORKERS}-worker fleet on per-worker ports, behind koa-fleet-balancer following it over its control socket (default retries), fails no request and answers no non-2xx, and every worker is replaced`,
      counts,
      expected,
    });
  });
});
