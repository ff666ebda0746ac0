import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpRequest, spawnNode, stopAll, waitFor } from '@koa-fleet/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackendChange } from '@koa-fleet/balancer';
import { portPair } from './support/port-pair.js';
import { keepAliveAgent, useTestServers } from './support/test-servers.js';

// The fleet is a real `koa-fleet start` (the cluster's built bin) in a child process; the
// balancer under test never imports the cluster for it, it only sees HTTP and the drain header.
const require = createRequire(import.meta.url);
const clusterBin = join(
  dirname(require.resolve('@koa-fleet/cluster/package.json')),
  'bin/koa-fleet.js',
);
const fleetApp = fileURLToPath(new URL('fixtures/fleet-app.mjs', import.meta.url));

const servers = useTestServers();
const agent = keepAliveAgent();

interface Answer {
  port: number;
  generation: number;
}

/**
 * `loops` clients sending requests one after another on keep-alive connections, GET and POST
 * (2 KB) in turn, until stopped; every answer that is not a 200 is a failure.
 */
function keepAliveLoad(url: string, loops = 8) {
  let running = true;
  let answered = 0;
  const failures: string[] = [];
  const generations = new Map<number, Set<number>>();
  const body = 'x'.repeat(2_048);
  const loop = async (index: number) => {
    for (let n = index; running; n++) {
      const method = n % 2 === 0 ? 'GET' : 'POST';
      try {
        const reply = await httpRequest(`${url}/work/${n}`, {
          agent,
          method,
          ...(method === 'POST' && { body, headers: { 'content-type': 'text/plain' } }),
        });
        if (reply.status !== 200) {
          failures.push(`${method} → ${reply.status} ${reply.body}`);
          continue;
        }
        const { port, generation } = reply.json<Answer>();
        generations.set(port, (generations.get(port) ?? new Set()).add(generation));
        answered++;
      } catch (error) {
        failures.push(`${method} → ${(error as Error).message}`);
      }
    }
  };
  const done = Promise.all(Array.from({ length: loops }, (_, index) => loop(index)));
  return {
    failures,
    generations,
    get answered() {
      return answered;
    },
    async stop() {
      running = false;
      await done;
    },
  };
}

describe('a koa-fleet fleet behind the balancer', () => {
  afterAll(stopAll);

  it('is reloaded under keep-alive GET and POST load with 0 failed requests, and its workers come back into rotation', async () => {
    const [first, second] = await portPair();
    const fleet = await spawnNode(clusterBin, {
      args: [
        'start',
        fleetApp,
        '--workers',
        '2',
        '--port',
        String(first),
        '--host',
        '127.0.0.1',
        '--per-worker-ports',
        '--drain-window',
        '2s',
      ],
      env: { KOA_FLEET_LOG_FORMAT: 'json' },
      readyLine: /fleet ready/,
      timeout: 60_000,
    });
    const urls = [first, second].map((port) => `http://127.0.0.1:${port}`);
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

    const load = keepAliveLoad(balancer.url);
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
