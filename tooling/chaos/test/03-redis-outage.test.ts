import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { runLoad, waitFor, type RedisServer } from '@koa-fleet/testkit';
import { readinessOf, watchReadiness } from '../src/faults/readiness-watch.js';
import { sumOutcomes } from '../src/load/session-ledger.js';
import { createSessionUsers, startSessionTraffic } from '../src/load/session-traffic.js';
import { verifySessions } from '../src/load/verify-sessions.js';
import { reportScenario } from '../src/results/record-scenario.js';
import type { ChaosBalancer } from '../src/system/start-balancer.js';
import type { ChaosFleet } from '../src/system/start-fleet.js';
import { startSystem, type ChaosSystem } from '../src/system/start-system.js';
import { workerPids } from '../src/system/worker-pids.js';

const SESSIONS = 24;
const OUTAGE_SECONDS = 5;

describe('3. Redis killed for 5 s under session traffic, then restarted', () => {
  let system: ChaosSystem | undefined;
  let redis: RedisServer;
  let fleet: ChaosFleet;
  let balancer: ChaosBalancer;

  beforeAll(async () => {
    // Acknowledged means on disk: kill -9 must not lose what Redis answered.
    // Active checks of /readyz as the demo runs them, at a pace that takes a backend out
    // (fall 3) well inside the outage.
    system = await startSystem({
      redis: { durable: true },
      fleet: { workers: 2 },
      balancer: { healthCheck: { interval: '250ms' } },
    });
    ({ redis, fleet, balancer } = system);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('answers only 503 + Retry-After on session routes while Redis is down, serves every other route, and loses no acknowledged write', async () => {
    const pidsBefore = await workerPids(fleet.urls);
    const users = await createSessionUsers({ urls: [balancer.url], count: SESSIONS });
    const traffic = startSessionTraffic(users);
    try {
      await sleep(1_000); // writes before the fault

      const readiness = watchReadiness(fleet.urls);
      await redis.kill('SIGKILL');
      // The outage lasts exactly as long as this load of a route that needs no session.
      const hello = await runLoad({
        url: `${balancer.url}/hello`,
        connections: 4,
        duration: OUTAGE_SECONDS,
      });
      await readiness.stop();
      await redis.restart();

      const ready = () =>
        Promise.all(fleet.urls.map(readinessOf)).then((all) => all.every((s) => s === 200));
      let greenAfter = 0;
      await waitFor('every worker ready again', ready, 30_000).then(() => (greenAfter = 1));
      // Writes after the recovery: every user is acknowledged twice more.
      const ackedAtRecovery = users.map((user) => user.outcomes.acked);
      await waitFor(
        'every session written after the recovery',
        () => users.every((user, index) => user.outcomes.acked >= ackedAtRecovery[index]! + 2),
        30_000,
      );
      await traffic.stop();

      const sessions = await verifySessions(users);
      const pidsAfter = await workerPids(fleet.urls);
      const outcomes = sumOutcomes(users.map((user) => user.outcomes));
      const helloFailed = hello.errors + hello.timeouts + hello.resets + hello.non2xx;
      // The balancer's word that its checks took every backend out and it kept them anyway.
      const keptUnready = /every backend is down: requests go to them anyway/.test(
        balancer.process.output(),
      );

      reportScenario({
        order: 3,
        title: 'Redis killed (kill -9) for 5 s under session traffic, restarted on its data',
        proves:
          'while Redis is down the session routes answer only 503 with Retry-After (no 500, no crash) and every other route keeps answering through the balancer — its /readyz checks go red on every worker, yet it keeps the backends that still answer rather than take all out — and once Redis is back every write that was answered 200 is there',
        counts: {
          sessions: SESSIONS,
          'session writes acked': outcomes.acked,
          '503s': outcomes.unavailable,
          '503 without Retry-After': outcomes.missingRetryAfter,
          '503 not the store': outcomes.unclear503,
          '500s': outcomes.serverErrors,
          'other non-2xx': outcomes.otherNon2xx,
          'session requests failed': outcomes.failed,
          '/hello during outage': hello.requests,
          '/hello failed': helloFailed,
          'workers seen unready': readiness.red.size,
          'balancer kept unready backends': keptUnready ? 1 : 0,
          'ready again after': greenAfter,
          'worker pids changed': pidsAfter.filter((pid, index) => pid !== pidsBefore[index]).length,
          'acked writes missing': sessions.missingFields,
          'counters below acked': sessions.countersBelowAcked,
          'counters above sent': sessions.countersAboveSent,
          'incr applied, answer lost': sessions.appliedUnacked,
          'sessions unreadable': sessions.unreadable,
        },
        expected: {
          'session writes acked': { atLeast: SESSIONS * 4 },
          '503s': { atLeast: 1 },
          '503 without Retry-After': 0,
          '503 not the store': 0,
          '500s': 0,
          'other non-2xx': 0,
          'session requests failed': 0,
          '/hello during outage': { atLeast: 1 },
          '/hello failed': 0,
          'workers seen unready': { atLeast: 1 },
          'balancer kept unready backends': 1,
          'ready again after': 1,
          'worker pids changed': 0,
          'acked writes missing': 0,
          'counters below acked': 0,
          'counters above sent': 0,
          'sessions unreadable': 0,
        },
      });
    } finally {
      await traffic.stop();
    }
  });
});
