import { httpRequest, stopAll, waitFor } from '@koa-fleet/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import type { Backend, FleetWorkerEvent } from '@koa-fleet/balancer';
import { startClusterFleet } from './support/cluster-fleet.js';
import { keepAliveLoad, type FleetAnswer } from './support/keep-alive-load.js';
import { keepAliveAgent, useTestServers } from './support/test-servers.js';

// Real `koa-fleet start` fleets (2 workers, per-worker ports, a pid file) followed over their
// control socket; retries are off, so a request sent to a worker that closes it would fail.
const servers = useTestServers();
const agent = keepAliveAgent();
const NO_RETRIES = { nextUpstream: ['off' as const] };

const ports = (backends: readonly Backend[]) =>
  backends.map((backend) => Number(new URL(backend.url).port)).sort();

describe('fleet discovery (fleets)', () => {
  afterAll(stopAll);

  it('starts with the fleet’s ready workers as backends, and a rolling reload 3 times under GET+POST keep-alive load fails 0 requests', async () => {
    const fleet = await startClusterFleet();
    const balancer = await servers.balancer({
      fleets: [{ control: fleet.pidFile }],
      ...NO_RETRIES,
    });
    expect(ports(balancer.backends)).toEqual(fleet.ports);
    const events: string[] = [];
    balancer.on('fleet-worker', (event: FleetWorkerEvent) =>
      events.push(`${event.event} ${event.workerId}`),
    );

    const load = keepAliveLoad(balancer.url, agent);
    await waitFor('the load flowing', () => load.answered >= 200 || load.failures.length > 0);
    const firstPids = new Set(load.pids);
    for (const generation of [2, 3, 4]) {
      fleet.process.child.kill('SIGHUP'); // the primary only: a rolling reload, slot by slot
      await fleet.process.waitForLine(
        new RegExp(`reload: generation ${generation} serving on every slot`),
        { timeout: 120_000 },
      );
      await waitFor(
        `generation ${generation} answering on both ports`,
        () =>
          balancer.backends.every((backend) => backend.state === 'up') &&
          fleet.ports.every((port) => load.generations.get(port)?.has(generation)),
        60_000,
      );
    }
    const answered = load.answered;
    await load.stop();

    expect(load.failures).toEqual([]);
    expect(answered).toBeGreaterThan(400);
    expect(ports(balancer.backends)).toEqual(fleet.ports);
    // Each slot's old worker drained (held out first) and exited, 3 times.
    expect(events.filter((event) => event.startsWith('worker-draining'))).toHaveLength(6);
    expect(events.filter((event) => event.startsWith('worker-exit'))).toHaveLength(6);
    const after = await Promise.all(
      [0, 1, 2, 3].map(async () =>
        (await httpRequest(`${balancer.url}/`, { agent })).json<FleetAnswer>(),
      ),
    );
    for (const answer of after) {
      expect(answer.generation).toBe(4);
      expect(firstPids.has(answer.pid)).toBe(false);
    }
    await fleet.process.stop();
  }, 240_000);
});
