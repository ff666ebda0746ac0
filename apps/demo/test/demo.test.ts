import { spawnNode, stopAll, waitFor } from '@koa-fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CookieJar,
  demoLoad,
  httpRequest,
  isAlive,
  keepAliveAgent,
  many,
  startDemo,
  type RunningDemo,
} from './support/demo-process.js';

interface Identity {
  pid: number;
  slot: number;
  port: number;
}
interface SessionView extends Identity {
  visits: number;
  cart: Record<string, number>;
  store: string;
}

const WORKERS = 3;

describe('pnpm demo: the balancer in front of 3 workers, embedded sessions', () => {
  let demo: RunningDemo;
  /** Every pid the test saw answer or run, so the end can check none is left. */
  const seen = new Set<number>();
  const agent = keepAliveAgent();

  beforeAll(async () => {
    demo = await startDemo(WORKERS);
    for (const pid of [demo.primaryPid, demo.balancerPid, ...demo.workerPids]) seen.add(pid);
  });
  afterAll(async () => {
    agent.destroy();
    await stopAll();
  });

  it('names every process in its banner, the dashboard first', () => {
    expect(demo.workerPids).toHaveLength(WORKERS);
    const banner = demo.process.stdout();
    expect(banner.indexOf('dashboard')).toBeLessThan(banner.indexOf(`${demo.url}/`));
    expect(banner).toContain(`dashboard   ${demo.adminUrl}/`);
  });

  it('answers / from every worker, in the weights 2:1:1 (± 3 points over 3,000 requests)', async () => {
    const answers = await many(3000, 16, async () => {
      const reply = await httpRequest(`${demo.url}/`, { agent });
      expect(reply.status).toBe(200);
      return reply.json<Identity>();
    });
    const perSlot = new Map<number, number>();
    for (const { pid, slot } of answers) {
      seen.add(pid);
      perSlot.set(slot, (perSlot.get(slot) ?? 0) + 1);
    }
    expect(new Set(answers.map((a) => a.pid))).toEqual(new Set(demo.workerPids));
    const expected = [50, 25, 25];
    for (const [slot, share] of expected.entries()) {
      const actual = (100 * (perSlot.get(slot) ?? 0)) / answers.length;
      expect(Math.abs(actual - share), `slot ${slot}: ${actual.toFixed(1)} %`).toBeLessThanOrEqual(
        3,
      );
    }
  });

  it('counts 200 concurrent visits of one session exactly, on every worker', async () => {
    const jar = new CookieJar();
    const first = jar.store(await httpRequest(`${demo.url}/session/visit`, { method: 'POST' }));
    expect(first.json<SessionView>()).toMatchObject({ visits: 1, store: 'embedded' });
    const visits = await many(200, 50, async () => {
      const reply = await httpRequest(`${demo.url}/session/visit`, {
        method: 'POST',
        headers: jar.header(),
        agent,
      });
      expect(reply.status).toBe(200);
      return reply.json<SessionView>();
    });
    // incr answers each request with the count after its own increment: all distinct, none lost.
    expect(visits.map((v) => v.visits).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 2),
    );
    expect(new Set(visits.map((v) => v.pid))).toEqual(new Set(demo.workerPids));
    const after = await httpRequest(`${demo.url}/session`, { headers: jar.header() });
    expect(after.json<SessionView>().visits).toBe(201);
  });

  it('keeps the items two tabs of one session add to the cart at the same time', async () => {
    const jar = new CookieJar();
    jar.store(await httpRequest(`${demo.url}/session/visit`, { method: 'POST' }));
    const tab = (items: string[]) =>
      Promise.all(
        items.map((item) =>
          httpRequest(`${demo.url}/session/cart?item=${item}`, {
            method: 'POST',
            headers: jar.header(),
          }),
        ),
      );
    const replies = (
      await Promise.all([tab(['apple', 'bread', 'cheese']), tab(['pear', 'milk'])])
    ).flat();
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, 200, 200]);
    const cart = (
      await httpRequest(`${demo.url}/session`, { headers: jar.header() })
    ).json<SessionView>().cart;
    expect(cart).toEqual({ apple: 1, bread: 1, cheese: 1, pear: 1, milk: 1 });
    const again = await httpRequest(`${demo.url}/session/cart?item=apple`, {
      method: 'POST',
      headers: jar.header(),
    });
    expect(again.json<SessionView>().cart).toMatchObject({ apple: 2, pear: 1 });
  });

  it('refuses a cart item or a /slow delay that is not one, naming the parameter', async () => {
    const item = await httpRequest(`${demo.url}/session/cart?item=%3Cscript%3E`, {
      method: 'POST',
    });
    expect(item.status).toBe(400);
    expect(item.json()).toMatchObject({
      error: 'bad_request',
      message: expect.stringContaining('"item"'),
    });
    for (const ms of ['-1', '1.5', 'abc', '30001']) {
      const slow = await httpRequest(`${demo.url}/slow?ms=${ms}`);
      expect(slow.status, ms).toBe(400);
      expect(slow.json().message).toContain('"ms"');
    }
    const slow = await httpRequest(`${demo.url}/slow?ms=20`);
    expect(slow.json()).toMatchObject({ sleptMs: 20 });
    expect((await httpRequest(`${demo.url}/session`, { method: 'PUT' })).status).toBe(405);
  });

  it('burns CPU on /cpu and serves the health endpoints and fleet metrics through the balancer', async () => {
    const cpu = await httpRequest(`${demo.url}/cpu`);
    expect(cpu.json()).toMatchObject({ cpuMs: 1, pid: expect.any(Number) });
    for (const path of ['/livez', '/readyz', '/healthz']) {
      expect((await httpRequest(`${demo.url}${path}`)).status, path).toBe(200);
    }
    expect((await httpRequest(`${demo.url}/healthz/fleet`)).json()).toMatchObject({
      status: 'pass',
      output: `${WORKERS} of ${WORKERS} workers ready`,
    });
    expect((await httpRequest(`${demo.url}/metrics`)).body).toMatch(
      new RegExp(`^koa_fleet_metrics_workers_answered ${WORKERS}$`, 'm'),
    );
  });

  it('starts a new session for a tampered cookie', async () => {
    const reply = await httpRequest(`${demo.url}/session/visit`, {
      method: 'POST',
      headers: { cookie: 'kf.sid=forged-forged-forged-forged; kf.sid.sig=bad' },
    });
    expect(reply.status).toBe(200);
    expect(reply.json()).toMatchObject({ visits: 1 });
  });

  it('demo:load prints requests per worker against the configured weights, and latencies', async () => {
    const load = await spawnNode(demoLoad, {
      args: [
        '--url',
        demo.url,
        '--admin-url',
        demo.adminUrl,
        '--duration',
        '1',
        '--connections',
        '4',
      ],
    });
    expect(await load.waitForExit({ timeout: 60_000 })).toEqual({ code: 0, signal: null });
    const output = load.stdout();
    expect(output).toMatch(/^pid +slot +port +requests +share +weight +weight share$/m);
    for (const [slot, pid] of demo.workerPids.entries()) {
      const weight = slot === 0 ? '2  +50.0 %' : '1  +25.0 %';
      expect(output).toMatch(
        new RegExp(`^${pid} +${slot} +\\d+ +[\\d,]+ +[\\d.]+ % +${weight}$`, 'm'),
      );
    }
    expect(output).toMatch(/^latency: p50 \d+ ms · p90 \d+ ms · p99 \d+ ms · max \d+ ms$/m);
  });

  it('restarts a crashed balancer, logs it, and serves again', async () => {
    process.kill(demo.balancerPid, 'SIGKILL');
    const line = await demo.process.waitForLine(/balancer restarted \(pid (\d+)\)/);
    const restarted = Number((line as RegExpMatchArray)[1]);
    seen.add(restarted);
    expect(restarted).not.toBe(demo.balancerPid);
    expect(demo.process.output()).toMatch(
      /balancer exited unexpectedly \(pid \d+, killed by SIGKILL\)/,
    );
    const reply = await httpRequest(`${demo.url}/`);
    expect(reply.status).toBe(200);
    expect(demo.process.stderr()).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('stops on SIGTERM with exit code 0, and leaves no process behind', async () => {
    demo.process.kill('SIGTERM');
    expect(await demo.process.waitForExit({ timeout: 30_000 })).toEqual({ code: 0, signal: null });
    await waitFor('every demo process to exit', () => [...seen].every((pid) => !isAlive(pid)));
    expect(demo.process.output()).toContain('fleet stopped (exit code 0)');
  });
});
