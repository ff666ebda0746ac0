import { httpRequest, stopAll, waitFor } from '@koa-fleet/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackendChange } from '@koa-fleet/balancer';
import { startClusterFleet } from './support/cluster-fleet.js';
import { keepAliveLoad, type FleetAnswer as Answer } from './support/keep-alive-load.js';
import { keepAliveAgent, useTestServers } from './support/test-servers.js';

// The fleet is a real `koa-fleet start` (the cluster's built bin) in a child process; the
// balancer under test never imports the cluster for it, it only sees HTTP and the drain header.
const servers = useTestServers();
const agent = keepAliveAgent();

describe('a koa-fleet fleet behind the balancer', () => {
  afterAll(stopAll);

  it('is reloaded under keep-alive GET and POST load with 0 failed requests, and its workers come back into rotation', async () => {
    // Its pid file's control socket goes unused here: the balancer follows it by HTTP alone.
    const started = await startClusterFleet({ args: ['--drain-window', '2s'] });
    const fleet = started.process;
    const [first, second] = started.ports;
    const { urls } = started;
    const balancer = await servers.balancer({
      backends: urls,
      // failTimeout 1 h: only the checks bring a drained backend back.
      healthCheck: { interval: '100ms', rise: 2, fall: 3 },
      failTimeout: '1h',
    });
    const changes: string[] = [];
    balancer.on('backend-state', ({ backend, state }: BackendChange) =>
      changes.push(`${new URL(backend.url).port} ${state}`),
    );

    const load = keepAliveLoad(balancer.url, agent);
    await waitFor('the load flowing', () => load.answered >= 300 || load.failures.length > 0);
    fleet.child.kill('SIGHUP'); // a rolling reload, slot by slot
    await fleet.waitForLine(/reload: generation 2 serving on every slot/, { timeout: 120_000 });
    await waitFor(
      'both workers of generation 2 in rotation',
      () =>
        balancer.backends.every((backend) => backend.state === 'up') &&
        [first, second].every((port) => load.generations.get(port)?.has(2)),
      60_000,
    );
    const answeredDuringReload = load.answered;
    await load.stop();

    expect(load.failures).toEqual([]);
    expect(answeredDuringReload).toBeGreaterThan(300);
    // Each old worker's drain header took its port out and the checks brought it back, once:
    // its pooled connections were retired, so the replacement got every request after.
    expect(changes).toEqual([
      `${first} draining`,
      `${first} up`,
      `${second} draining`,
      `${second} up`,
    ]);
    const after = await httpRequest(`${balancer.url}/`, { agent });
    expect(after.json<Answer>().generation).toBe(2);
    await fleet.stop();
  }, 180_000);
});
