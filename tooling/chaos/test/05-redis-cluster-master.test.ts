import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startRedisCluster, waitFor, type RedisClusterServer } from '@koa-fleet/testkit';
import { mastersOf, sessionKey } from '../src/faults/cluster-masters.js';
import { watchReadiness } from '../src/faults/readiness-watch.js';
import { emptyOutcomes, sumOutcomes } from '../src/load/session-ledger.js';
import {
  createSessionUsers,
  startSessionTraffic,
  writeOnce,
  type SessionUser,
} from '../src/load/session-traffic.js';
import { verifySessions } from '../src/load/verify-sessions.js';
import { reportScenario } from '../src/results/record-scenario.js';
import { startFleet, type ChaosFleet } from '../src/system/start-fleet.js';
import { workerPids } from '../src/system/worker-pids.js';

const SESSIONS = 30;
/** Longer than the nodes' cluster-node-timeout (5 s): the others have marked the master failed. */
const OUTAGE_MS = 8_000;
const WRITES_AFTER = 3;
const VICTIM = 1;

describe('5. a Redis Cluster master lost under session traffic, then restarted', () => {
  let cluster: RedisClusterServer;
  let fleet: ChaosFleet;

  beforeAll(async () => {
    // Durable nodes, so the master comes back with what it acknowledged; without full coverage
    // required, the other masters keep serving their slots once the cluster marks it failed.
    cluster = await startRedisCluster({
      durable: true,
      args: ['--cluster-require-full-coverage', 'no'],
    });
    const nodes = cluster.nodes.map(({ host, port }) => `${host}:${port}`).join(',');
    fleet = await startFleet({ workers: 2, redis: { KF_CHAOS_REDIS_CLUSTER: nodes } });
  });
  afterAll(async () => {
    await fleet?.process.stop();
    await cluster?.stop();
  });

  it("answers 503 to the sessions on the lost master's slots, 200 to every other, and all recover with their data", async () => {
    const pidsBefore = await workerPids(fleet.urls);
    const users = await createSessionUsers({ urls: fleet.urls, count: SESSIONS });
    const masters = await mastersOf(
      cluster.nodes,
      users.map((user) => sessionKey(user.client.sessionId!)),
    );
    const onVictim = users.filter((_, index) => masters[index] === VICTIM);
    const elsewhere = users.filter((_, index) => masters[index] !== VICTIM);
    const mastersWithSessions = new Set(masters).size;
    const resetOutcomes = () => users.forEach((user) => (user.outcomes = emptyOutcomes()));
    const outcomesOf = (group: readonly SessionUser[]) =>
      sumOutcomes(group.map((user) => user.outcomes));

    // Before: a second of writes on every master.
    let traffic = startSessionTraffic(users);
    await sleep(1_000);
    await traffic.stop();

    // The master is lost; the traffic goes on for the whole outage.
    resetOutcomes();
    const readiness = watchReadiness(fleet.urls);
    await cluster.kill(VICTIM);
    traffic = startSessionTraffic(users);
    await sleep(OUTAGE_MS);
    await traffic.stop();
    await readiness.stop();
    const down = { victim: outcomesOf(onVictim), others: outcomesOf(elsewhere) };

    // Back: every session is served again, then each writes a few more times.
    await cluster.restart(VICTIM);
    const served = async (user: SessionUser) =>
      (await user.client.request('GET', '/session')).status === 200;
    await waitFor(
      'every session served again',
      async () => (await Promise.all(users.map(served))).every(Boolean),
      60_000,
    );
    resetOutcomes();
    await Promise.all(
      users.map(async (user) => {
        for (let i = 0; i < WRITES_AFTER; i++) await writeOnce(user);
      }),
    );
    const after = outcomesOf(users);
    const sessions = await verifySessions(users);
    const pidsAfter = await workerPids(fleet.urls);
    const refused = (o: typeof after) => o.unavailable + o.serverErrors + o.otherNon2xx + o.failed;

    reportScenario({
      order: 5,
      title: 'A Redis Cluster master killed for 8 s under session traffic, restarted',
      proves:
        "with 3 masters and cluster-require-full-coverage no, losing one master fails only the sessions on its slots — each with the store's 503 + Retry-After, never a 500 — while every other session is served as before, past the cluster's node timeout; once it is back every session is served and every write that was answered 200 is there",
      counts: {
        sessions: SESSIONS,
        'masters with sessions': mastersWithSessions,
        'sessions on lost master': onVictim.length,
        'its writes acked while down': down.victim.acked,
        'its 503s while down': down.victim.unavailable,
        'its 503s unclear or without Retry-After':
          down.victim.unclear503 + down.victim.missingRetryAfter,
        'its other failures while down':
          down.victim.serverErrors + down.victim.otherNon2xx + down.victim.failed,
        'other sessions': elsewhere.length,
        'their writes acked while down': down.others.acked,
        'their non-200s while down': refused(down.others),
        'workers seen unready': readiness.red.size,
        'writes after restart': users.length * WRITES_AFTER,
        'acked after restart': after.acked,
        'non-200s after restart': refused(after),
        'acked writes missing': sessions.missingFields,
        'counters below acked': sessions.countersBelowAcked,
        'counters above sent': sessions.countersAboveSent,
        'worker pids changed': pidsAfter.filter((pid, index) => pid !== pidsBefore[index]).length,
      },
      expected: {
        'masters with sessions': 3,
        'its writes acked while down': 0,
        'its 503s while down': { atLeast: onVictim.length },
        'its 503s unclear or without Retry-After': 0,
        'its other failures while down': 0,
        'their writes acked while down': { atLeast: elsewhere.length },
        'their non-200s while down': 0,
        'acked after restart': users.length * WRITES_AFTER,
        'non-200s after restart': 0,
        'acked writes missing': 0,
        'counters below acked': 0,
        'counters above sent': 0,
        'worker pids changed': 0,
      },
    });
  });
});
