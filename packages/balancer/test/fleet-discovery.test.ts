import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  freePort,
  httpRequest,
  spawnNode,
  stopAll,
  waitFor,
  type HttpReply,
} from '@koa-fleet/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createBalancer,
  type AdminFleet,
  type AdminFleetList,
  type AdminFleetRestart,
  type Backend,
  type FleetConnectionEvent,
  type FleetWorkerEvent,
} from '@koa-fleet/balancer';
import { admin, subscribe } from './support/admin-client.js';
import { startClusterFleet } from './support/cluster-fleet.js';
import { keepAliveLoad, type FleetAnswer } from './support/keep-alive-load.js';
import { keepAliveAgent, useTestServers } from './support/test-servers.js';

// Real `koa-fleet start` fleets (2 workers, per-worker ports, a pid file) followed over their
// control socket; retries are off, so a request sent to a worker that closes it would fail.
const servers = useTestServers();
const agent = keepAliveAgent();
const NO_RETRIES = { nextUpstream: ['off' as const] };

const bin = fileURLToPath(new URL('../bin/koa-fleet-balancer.js', import.meta.url));

/** Which port answered each of `count` requests, one after another. */
async function answeringPorts(url: string, count: number): Promise<Map<number, number>> {
  const seen = new Map<number, number>();
  for (let n = 0; n < count; n++) {
    const { port } = (await httpRequest(`${url}/`, { agent })).json<FleetAnswer>();
    seen.set(port, (seen.get(port) ?? 0) + 1);
  }
  return seen;
}

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

  it('takes a worker killed with SIGKILL out of rotation, and its port back once the fleet restarted it', async () => {
    const fleet = await startClusterFleet();
    const balancer = await servers.balancer({
      fleets: [{ control: fleet.pidFile }],
      ...NO_RETRIES,
    });
    const victim = (await httpRequest(`${fleet.urls[1]}/`)).json<FleetAnswer>().pid;
    process.kill(victim, 'SIGKILL');
    await waitFor('the dead worker’s port out of rotation', () =>
      ports(balancer.backends).every((port) => port === fleet.ports[0]),
    );
    // Nothing is sent to the dead port meanwhile: every answer comes from the other slot.
    expect([...(await answeringPorts(balancer.url, 10)).keys()]).toEqual([fleet.ports[0]]);
    await waitFor('the restarted worker back in rotation', () =>
      ports(balancer.backends).includes(fleet.ports[1]),
    );
    const back = await answeringPorts(balancer.url, 10);
    expect(back.get(fleet.ports[1])).toBe(5);
    expect((await httpRequest(`${fleet.urls[1]}/`)).json<FleetAnswer>().pid).not.toBe(victim);
    await fleet.process.stop();
  }, 120_000);

  it('sends a GET in flight to a worker killed with SIGKILL to the next slot once the worker is gone, even while its connection stays open', async () => {
    const fleet = await startClusterFleet();
    // A grace far above the request's own deadline: waiting on the dead port until grace fails.
    const balancer = await servers.balancer({ fleets: [{ control: fleet.pidFile }], grace: '90s' });
    const heldBySlot1 = () =>
      balancer.backends.find((backend) => backend.url === fleet.urls[1])?.active === 1;
    // Round robin: the first request may go to slot 0, which answers it; the next goes to slot 1.
    let reply: Promise<HttpReply>;
    for (;;) {
      reply = httpRequest(`${balancer.url}/held-by-child?slot=1`, { timeout: 30_000 });
      const answered = reply.then(() => true);
      while (!heldBySlot1() && !(await Promise.race([answered, sleep(20).then(() => false)]))) {
        // polls until slot 1 holds the request or it was answered elsewhere
      }
      if (heldBySlot1()) break;
    }
    const victim = (await httpRequest(`${fleet.urls[1]}/`)).json<FleetAnswer>().pid;
    process.kill(victim, 'SIGKILL');
    const answer = await reply;
    expect(answer.status).toBe(200);
    expect(answer.json<FleetAnswer>().port).toBe(fleet.ports[0]);
    await fleet.process.stop();
  }, 120_000);

  it('keeps following a fleet whose primary went away: the fleet started again is followed, on its new ports', async () => {
    const first = await startClusterFleet();
    const balancer = await servers.balancer({ fleets: [{ control: first.pidFile, name: 'app' }] });
    const connections: boolean[] = [];
    balancer.on('fleet-connection', (event: FleetConnectionEvent) =>
      connections.push(event.connected),
    );
    await first.process.stop();
    await waitFor('the lost control socket noticed', () => connections.includes(false));
    const again = await startClusterFleet({ pidFile: first.pidFile });
    await waitFor(
      'the new workers’ ports as backends',
      () => ports(balancer.backends).join() === [...again.ports].sort().join(),
      30_000,
    );
    expect(connections.at(-1)).toBe(true);
    const seen = await answeringPorts(balancer.url, 10);
    expect([...seen.keys()].sort()).toEqual([...again.ports].sort());
    await again.process.stop();
  }, 120_000);

  it('balances two fleets in one balancer by each fleet’s weight and each slot’s own', async () => {
    const [a, b] = await Promise.all([startClusterFleet(), startClusterFleet()]);
    const balancer = await servers.balancer({
      fleets: [
        { control: a.pidFile, name: 'a', weights: { 0: 3 } },
        { control: b.pidFile, name: 'b', weight: 2 },
      ],
      ...NO_RETRIES,
    });
    expect(ports(balancer.backends)).toEqual([...a.ports, ...b.ports].sort());
    const seen = await answeringPorts(balancer.url, 80);
    // Weights 3 and 1 (slot 0 of a, slot 1 at the fleet's default), 2 and 2: 8 in each round.
    expect([a.ports[0], a.ports[1], b.ports[0], b.ports[1]].map((port) => seen.get(port))).toEqual([
      30, 10, 20, 20,
    ]);
    await Promise.all([a.process.stop(), b.process.stop()]);
  }, 120_000);

  it('serves each fleet’s stats and health on the admin API, forwards a reload and a restart, and streams the fleet’s events', async () => {
    const fleet = await startClusterFleet();
    const balancer = await servers.balancer({
      fleets: [{ control: fleet.pidFile, name: 'web' }],
      admin: { port: 0, host: '127.0.0.1' },
      ...NO_RETRIES,
    });
    const base = balancer.address!.admin!.url;
    const events = await subscribe(base);

    const listed = await admin(base, '/api/v1/fleets');
    expect(listed.status).toBe(200);
    const [web] = listed.json<AdminFleetList>().fleets;
    expect(web).toMatchObject({ id: 'web', control: fleet.pidFile, connected: true });
    expect(web!.stats!.workers.map((worker) => worker.port)).toEqual(fleet.ports);
    expect(web!.backends.sort()).toEqual(fleet.urls);
    expect(web!.health.map(({ status, httpStatus }) => ({ status, httpStatus }))).toEqual([
      { status: 'pass', httpStatus: 200 },
      { status: 'pass', httpStatus: 200 },
    ]);
    expect(web!.health[0]!.checks!['process:lifecycle']).toHaveLength(1);

    const oldPid = web!.stats!.workers[1]!.pid;
    const restarted = await admin(base, '/api/v1/fleets/web/workers/1/restart', { method: 'POST' });
    expect(restarted.status).toBe(200);
    const { worker } = restarted.json<AdminFleetRestart>();
    expect(worker).toMatchObject({ workerId: 1, state: 'ready', port: fleet.ports[1] });
    expect(worker.pid).not.toBe(oldPid);
    await waitFor('the restart’s events streamed', () =>
      events.events.some(
        (event) => event.event === 'fleet-worker' && event.data.event === 'worker-exit',
      ),
    );
    const fleetEvents = events.events.filter((event) => event.event === 'fleet-worker');
    expect(
      fleetEvents.map((event) => `${event.data.fleet} ${event.data.event} ${event.data.workerId}`),
    ).toEqual([
      'web worker-starting 1',
      'web worker-ready 1',
      'web worker-draining 1',
      'web worker-exit 1',
    ]);

    const reloaded = await admin(base, '/api/v1/fleets/web/reload', { method: 'POST' });
    expect(reloaded.status).toBe(200);
    expect(reloaded.json()).toEqual({ fleet: 'web', reloaded: true });
    const one = (await admin(base, '/api/v1/fleets/web')).json<AdminFleet>();
    expect(one.stats!.workers.map((w) => w.generation)).toEqual([2, 2]);
    await waitFor(
      'both ports in rotation again',
      () =>
        balancer.backends.length === 2 &&
        balancer.backends.every((backend) => backend.state === 'up'),
    );
    expect((await httpRequest(`${balancer.url}/`)).json<FleetAnswer>().generation).toBe(2);

    for (const path of ['/api/v1/fleets/nope', '/api/v1/fleets/nope/reload']) {
      const unknown = await admin(base, path, { method: path.endsWith('reload') ? 'POST' : 'GET' });
      expect(unknown.status).toBe(404);
      expect(unknown.json()).toMatchObject({
        error: 'not_found',
        code: 'KF_BALANCER_UNKNOWN_FLEET',
      });
    }
    const badSlot = await admin(base, '/api/v1/fleets/web/workers/x/restart', { method: 'POST' });
    expect(badSlot.status).toBe(400);
    expect(badSlot.json()).toMatchObject({ code: 'KF_INVALID_OPTION', option: 'slot' });
    expect((await admin(base, '/api/v1/fleets/web/reload')).status).toBe(405);
    events.close();
    await fleet.process.stop();
  }, 180_000);

  it('does not start when a fleet’s control socket does not answer, naming the fleet', async () => {
    const balancer = createBalancer({
      fleets: [{ control: '/tmp/kf-no-such-fleet/app.pid' }],
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
    });
    await expect(balancer.listen()).rejects.toMatchObject({
      code: 'KF_BALANCER_FLEET_CONNECT',
      fleet: 'app',
      message: expect.stringMatching(
        /^fleet app \(\/tmp\/kf-no-such-fleet\/app\.pid\): cannot connect/,
      ),
    });
    await balancer.close();
  });

  it('does not follow a fleet whose workers share one port', async () => {
    const { process: fleet, pidFile } = await startClusterFleet({ perWorkerPorts: false });
    const balancer = createBalancer({
      fleets: [{ control: pidFile }],
      port: 0,
      logLevel: 'silent',
    });
    await expect(balancer.listen()).rejects.toMatchObject({
      code: 'KF_BALANCER_FLEET_CONNECT',
      message: expect.stringContaining('without perWorkerPorts'),
    });
    await balancer.close();
    await fleet.stop();
  }, 120_000);

  it('koa-fleet-balancer --fleet follows the fleet with the flag’s weight next to a --backend, and exits 1 naming a fleet that does not answer', async () => {
    const fleet = await startClusterFleet();
    const fixed = await servers.backend('fixed', (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ port: 0, generation: 0, pid: 0 }));
    });
    const port = await freePort();
    const cli = await spawnNode(bin, {
      args: [
        '--fleet',
        `${fleet.pidFile}=2`,
        '--backend',
        fixed.url,
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
      ],
      readyLine: /balancing 3 backends/,
    });
    const seen = await answeringPorts(`http://127.0.0.1:${port}`, 10);
    expect([...fleet.ports, 0].map((p) => seen.get(p))).toEqual([4, 4, 2]);
    cli.kill('SIGTERM');
    expect(await cli.waitForExit()).toEqual({ code: 0, signal: null });

    const missing = await spawnNode(bin, {
      args: ['--fleet', '/tmp/kf-no-such-fleet/web.pid', '--port', '0'],
    });
    expect(await missing.waitForExit()).toEqual({ code: 1, signal: null });
    expect(missing.stderr()).toMatch(
      /^koa-fleet-balancer: fleet web \(\/tmp\/kf-no-such-fleet\/web\.pid\): cannot connect/,
    );
    const badWeight = await spawnNode(bin, { args: ['--fleet', `${fleet.pidFile}=0`] });
    expect(await badWeight.waitForExit()).toEqual({ code: 2, signal: null });
    expect(badWeight.stderr()).toBe(
      `koa-fleet-balancer: --fleet ${fleet.pidFile}=0 (fleets[0].weight) must be an integer ≥ 1, got 0\n`,
    );
    await fleet.process.stop();
  }, 120_000);

  it('with --workers 2, every balancer process stops routing to a draining worker before the fleet drains it: 0 failed requests over a reload, retries off', async () => {
    const fleet = await startClusterFleet();
    const [port, adminPort] = await Promise.all([freePort(), freePort()]);
    const config = join(mkdtempSync(join(tmpdir(), 'kf-')), 'balancer.json');
    writeFileSync(config, JSON.stringify({ nextUpstream: ['off'] }));
    const cli = await spawnNode(bin, {
      args: [
        '--config',
        config,
        '--fleet',
        fleet.pidFile,
        '--workers',
        '2',
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
        '--admin-port',
        String(adminPort),
      ],
      readyLine: /balancing .* with 2 workers/,
      timeout: 60_000,
    });
    const url = `http://127.0.0.1:${port}`;
    // The primary's admin listener streams the fleet's events too (it watches the fleet itself).
    const stream = await subscribe(`http://127.0.0.1:${adminPort}`);
    const load = keepAliveLoad(url, agent);
    await waitFor('the load flowing', () => load.answered >= 200 || load.failures.length > 0);
    fleet.process.child.kill('SIGHUP');
    await fleet.process.waitForLine(/reload: generation 2 serving on every slot/, {
      timeout: 120_000,
    });
    await waitFor(
      'generation 2 answering on both ports',
      () => fleet.ports.every((p) => load.generations.get(p)?.has(2)),
      60_000,
    );
    await load.stop();
    expect(load.failures).toEqual([]);
    // Every balancer process subscribed (and the primary's admin listener too).
    expect(fleet.process.output()).not.toMatch(/did not acknowledge/);
    const listed = (
      await admin(`http://127.0.0.1:${adminPort}`, '/api/v1/fleets')
    ).json<AdminFleetList>();
    expect(listed.fleets.map(({ id, connected }) => ({ id, connected }))).toEqual([
      { id: 'app', connected: true },
    ]);
    expect(listed.fleets[0]!.stats!.workers.map((worker) => worker.generation)).toEqual([2, 2]);
    await waitFor('both replacements on the event stream', () =>
      [0, 1].every((slot) =>
        stream.events.some(
          (event) =>
            event.event === 'fleet-worker' &&
            event.data.event === 'worker-ready' &&
            event.data.workerId === slot &&
            event.data.generation === 2,
        ),
      ),
    );
    stream.close();
    cli.kill('SIGTERM');
    expect(await cli.waitForExit()).toEqual({ code: 0, signal: null });
    await fleet.process.stop();
  }, 180_000);
});
