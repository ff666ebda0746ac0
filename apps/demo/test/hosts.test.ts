import { spawnNode, startRedis, stopAll, waitFor, type RedisServer } from '@koa-fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CookieJar,
  demoArgs,
  demoMain,
  demoPorts,
  httpRequest,
  isAlive,
  keepAliveAgent,
  many,
  type DemoPorts,
} from './support/demo-process.js';

interface Identity {
  pid: number;
  slot: number;
  port: number;
  host: string;
}
interface SessionView extends Identity {
  visits: number;
  store: string;
}

const WORKERS = 2;
const NO_REDIS =
  'koa-fleet-demo: --hosts 2 shares sessions through Redis: start one with "redis-server --port 6379 --daemonize yes" and set REDIS_URL=redis://127.0.0.1:6379\n';

describe('pnpm demo --hosts 2: two fleets as two hosts behind one balancer, sessions in Redis', () => {
  let redis: RedisServer;
  let ports: DemoPorts;
  let demo: Awaited<ReturnType<typeof spawnNode>>;
  /** host name → its primary's pid and its workers' pids by slot, from the banner. */
  const hosts = new Map<string, { primary: number; workers: number[] }>();
  const agent = keepAliveAgent();

  beforeAll(async () => {
    redis = await startRedis();
    ports = await demoPorts(WORKERS, 2);
    demo = await spawnNode(demoMain, {
      args: [...demoArgs(ports, WORKERS), '--hosts', '2'],
      env: { REDIS_URL: redis.url, KOA_FLEET_LOG_FORMAT: 'json' },
      readyLine: /stop +Ctrl-C/,
      timeout: 90_000,
    });
    let current: { primary: number; workers: number[] } | undefined;
    for (const line of demo.stdout().split('\n')) {
      const host = /^ +(host-\d) +pid (\d+)/.exec(line);
      const slot = /^ +slot (\d+) +pid (\d+)/.exec(line);
      if (host) hosts.set(host[1]!, (current = { primary: Number(host[2]), workers: [] }));
      else if (slot && current) current.workers[Number(slot[1])] = Number(slot[2]);
    }
  }, 120_000);
  afterAll(async () => {
    agent.destroy();
    await stopAll();
  });

  it('names both hosts, each a primary of its own with its port range, in its banner', () => {
    expect([...hosts.keys()]).toEqual(['host-1', 'host-2']);
    const banner = demo.stdout();
    expect(banner).toContain(`sessions in Redis at ${redis.url}`);
    expect(banner).toContain(`on ports ${ports.fleetPort}-${ports.fleetPort + 1}`);
    expect(banner).toContain(`on ports ${ports.fleetPort + 100}-${ports.fleetPort + 101}`);
    const primaries = [...hosts.values()].map((host) => host.primary);
    expect(new Set([demo.child.pid, ...primaries]).size).toBe(3);
  });

  it('answers through the balancer from every worker of both hosts, in each fleet’s weights', async () => {
    const answers = await many(600, 8, async () => {
      const reply = await httpRequest(`http://127.0.0.1:${ports.port}/`, { agent });
      expect(reply.status).toBe(200);
      return reply.json<Identity>();
    });
    const pids = (host: string) => new Set(hosts.get(host)!.workers);
    expect(new Set(answers.map((a) => a.pid))).toEqual(
      new Set([...pids('host-1'), ...pids('host-2')]),
    );
    for (const answer of answers) expect(pids(answer.host).has(answer.pid)).toBe(true);
    // Slot 0 of each host weighs 2, slot 1 weighs 1: a third of the requests each, a sixth each.
    const slot0 = answers.filter((a) => a.slot === 0).length;
    expect(Math.abs((100 * slot0) / answers.length - 66.7)).toBeLessThanOrEqual(3);
    const fleets = (await httpRequest(`http://127.0.0.1:${ports.adminPort}/api/v1/fleets`)).json<{
      fleets: Array<{ id: string; connected: boolean; backends: string[] }>;
    }>().fleets;
    expect(fleets.map(({ id, connected }) => ({ id, connected }))).toEqual([
      { id: 'host-1', connected: true },
      { id: 'host-2', connected: true },
    ]);
  });

  it('continues a session started on host-1 on host-2: the count goes on', async () => {
    const jar = new CookieJar();
    const visit = async (port: number) =>
      jar
        .store(
          await httpRequest(`http://127.0.0.1:${port}/session/visit`, {
            method: 'POST',
            headers: jar.header(),
          }),
        )
        .json<SessionView>();
    // Each host's own worker port, so the test picks which host serves.
    expect(await visit(ports.fleetPort)).toMatchObject({
      host: 'host-1',
      visits: 1,
      store: 'redis',
    });
    expect(await visit(ports.fleetPort + 100)).toMatchObject({ host: 'host-2', visits: 2 });
    expect(await visit(ports.fleetPort + 101)).toMatchObject({ host: 'host-2', visits: 3 });
    expect(await visit(ports.fleetPort + 1)).toMatchObject({ host: 'host-1', visits: 4 });
    // And through the balancer, which sends them to both hosts: 40 more, counted exactly.
    const through = await many(40, 1, async () => {
      const reply = await httpRequest(`http://127.0.0.1:${ports.port}/session/visit`, {
        method: 'POST',
        headers: jar.header(),
        agent,
      });
      return reply.json<SessionView>();
    });
    expect(through.map((v) => v.visits)).toEqual(Array.from({ length: 40 }, (_, i) => i + 5));
    expect(new Set(through.map((v) => v.host))).toEqual(new Set(['host-1', 'host-2']));
  });

  it('stops both fleets on SIGTERM with exit code 0, and leaves no process behind', async () => {
    const pids = [
      demo.child.pid!,
      ...[...hosts.values()].flatMap((host) => [host.primary, ...host.workers]),
      Number(/balancer +pid (\d+)/.exec(demo.stdout())?.[1]),
    ];
    expect(pids.every(isAlive)).toBe(true);
    demo.kill('SIGTERM');
    expect(await demo.waitForExit({ timeout: 60_000 })).toEqual({ code: 0, signal: null });
    await waitFor('every demo process to exit', () => pids.every((pid) => !isAlive(pid)));
  }, 90_000);
});

describe('pnpm demo --hosts 2 without Redis', () => {
  afterAll(stopAll);

  for (const [how, args, env] of [
    ['--hosts 2', ['--hosts', '2'], {}],
    ['HOSTS=2', [], { HOSTS: '2' }],
  ] as const) {
    it(`exits 2 with one line that says how to start a redis-server (${how})`, async () => {
      const ports = await demoPorts(WORKERS, 2);
      const demo = await spawnNode(demoMain, {
        args: [...demoArgs(ports, WORKERS), ...args],
        env: { REDIS_URL: '', ...env },
      });
      expect(await demo.waitForExit({ timeout: 30_000 })).toEqual({ code: 2, signal: null });
      expect(demo.stderr()).toBe(NO_REDIS);
      expect(demo.stdout()).toBe('');
    });
  }
});
