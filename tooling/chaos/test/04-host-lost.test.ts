import { afterAll, beforeAll, describe, it } from 'vitest';
import { netnsAvailable, startRedis, waitFor, type RedisServer } from '@koa-fleet/testkit';
import { createHostNetwork, type HostNetwork } from '../src/hosts/host-network.js';
import { requireHostNetwork } from '../src/hosts/require-host-network.js';
import { startPhasedLoad, type PhaseCounts } from '../src/load/phased-load.js';
import { reportScenario } from '../src/results/record-scenario.js';
import { startBalancer, type ChaosBalancer } from '../src/system/start-balancer.js';
import type { ChaosFleet } from '../src/system/start-fleet.js';
import { startHostFleets } from '../src/hosts/start-host-fleets.js';
import { watchBackendStates, type BackendStateWatch } from '../src/system/watch-backend-states.js';

const scenario = {
  order: 4,
  title: 'A host lost (link down in its network namespace), then back',
  proves:
    'when a whole host stops answering — its connects hang, nothing is refused — the balancer takes its backends out within its timeouts, no GET fails once it has, and the host is back in rotation after its link is, its share ramped up by slow start rather than at full weight at once',
};

/** Slow start of the host that comes back; its share is counted in four windows of it. */
const SLOW_START_MS = 8_000;
/** GETs answered in a phase before the next step: a count, so a slow machine just takes longer. */
const ENOUGH = 600;

const share = (counts: PhaseCounts, host: string): number =>
  counts.ok === 0 ? 0 : (counts.byHost[host] ?? 0) / counts.ok;
const perMille = (value: number): number => Math.round(value * 1000);

describe('4. a host lost, in network namespaces', () => {
  let network: HostNetwork | undefined;
  let redis: RedisServer | undefined;
  const fleets: ChaosFleet[] = [];
  let balancer: ChaosBalancer | undefined;
  let watch: BackendStateWatch | undefined;

  beforeAll(async () => {
    if (!netnsAvailable()) return; // the test says so (and fails under CI=true)
    network = createHostNetwork({ hosts: 2 });
    // One Redis for both hosts, on this machine's side of the bridge.
    redis = await startRedis({ host: network.gateway });
    fleets.push(...(await startHostFleets(network, redis)));
    balancer = await startBalancer({
      config: {
        // Addresses, not the fleets' control sockets: those do not reach across hosts.
        backends: fleets.flatMap((fleet) => fleet.urls),
        maxFails: 1,
        failTimeout: '10s',
        slowStart: SLOW_START_MS,
        healthCheck: { path: '/readyz', interval: '500ms', timeout: '1s', rise: 2, fall: 2 },
        timeouts: { connect: '1s', headers: '3s' },
        admin: { port: 0 },
      },
    });
    watch = await watchBackendStates(balancer.adminUrl!);
  });

  afterAll(async () => {
    watch?.close();
    await balancer?.process.stop();
    for (const fleet of fleets) await fleet.process.stop();
    await redis?.stop();
    network?.remove();
  });

  it('moves the traffic off a host whose link went down, fails no GET after, and ramps it back in', async (ctx) => {
    if (!requireHostNetwork(ctx, scenario)) return;
    const lost = network!.hosts[0]!;
    const [lostFleet, keptFleet] = fleets as [ChaosFleet, ChaosFleet];
    await watch!.until([...lostFleet.urls, ...keptFleet.urls], ['up']);

    const load = startPhasedLoad({ url: `${balancer!.url}/hello`, connections: 8 });
    const enough = (phase: string, count = ENOUGH) =>
      waitFor(`${count} GETs answered (${phase})`, () => load.counts(phase).ok >= count, 60_000);
    let phases: Record<string, PhaseCounts>;
    try {
      await enough('before');

      // The link goes down: from here until the balancer has both its backends down, "during".
      load.phase('during');
      lost.linkDown();
      await watch!.until(lostFleet.urls, ['down']);
      load.phase('after');
      await enough('after');

      // Back: its requests until both backends are up again count as "link up".
      load.phase('link up');
      lost.linkUp();
      await watch!.until(lostFleet.urls, ['up']);
      // The ramp, in four windows of slow start (a clock only picks the windows; the counts
      // in them decide), then one at full weight.
      for (const window of ['ramp 1', 'ramp 2', 'ramp 3', 'ramp 4', 'full']) {
        load.phase(window);
        await new Promise((resolve) => setTimeout(resolve, SLOW_START_MS / 4));
      }
      await enough('full', 200);
    } finally {
      phases = await load.stop();
    }

    const downs = (urls: readonly string[]) =>
      watch!.changes.filter((change) => urls.includes(change.backend) && change.state === 'down')
        .length;
    const markedDown = lostFleet.urls.every((url) =>
      watch!.changes.some((change) => change.backend === url && change.state === 'down'),
    );
    const backUp = lostFleet.urls.every(
      (url) => watch!.state(url) === 'up' || watch!.state(url) === 'slow-start',
    );
    const ramp = ['ramp 1', 'ramp 2', 'ramp 3', 'ramp 4', 'full'].map((name) => phases[name]!);
    const shares = ramp.map((counts) => share(counts, lost.name));
    // A ramp: the first window well under the full share (½ of 4 equal backends), the last
    // above the first, and at full weight about half again.
    const ramped = shares[0]! < 0.3 && shares[0]! < shares[3]! && shares[4]! > 0.35 ? 1 : 0;
    const failedAfterMove = [
      'after',
      'link up',
      ...['ramp 1', 'ramp 2', 'ramp 3', 'ramp 4', 'full'],
    ]
      .map((name) => phases[name]!.failed)
      .reduce((sum, failed) => sum + failed, 0);
    console.log(
      'scenario 4 phases',
      JSON.stringify(phases),
      'shares of the lost host',
      shares.map(perMille),
    );

    reportScenario({
      ...scenario,
      counts: {
        'GETs before': phases.before!.requests,
        'failed before': phases.before!.failed,
        'GETs during': phases.during!.requests,
        'failed during': phases.during!.failed,
        'GETs after': phases.after!.requests,
        'after to lost host': phases.after!.byHost[lost.name] ?? 0,
        'GETs link up → back': phases['link up']!.requests,
        'failed after the move': failedAfterMove,
        'lost host marked down': markedDown ? 1 : 0,
        'kept host marked down': downs(keptFleet.urls),
        'back after link up': backUp ? 1 : 0,
        'ramp 1 ‰ to lost host': perMille(shares[0]!),
        'ramp 4 ‰ to lost host': perMille(shares[3]!),
        'full ‰ to lost host': perMille(shares[4]!),
        ramped,
      },
      expected: {
        'failed before': 0,
        'failed during': 0,
        'after to lost host': 0,
        'failed after the move': 0,
        'lost host marked down': 1,
        'kept host marked down': 0,
        'back after link up': 1,
        ramped: 1,
      },
    });
  });
});
