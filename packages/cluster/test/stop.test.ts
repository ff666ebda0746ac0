import { setTimeout as delay } from 'node:timers/promises';
import { Agent } from 'node:http';
import { httpRequest } from '@koa-fleet/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, startPrimary } from './helpers/fleet.js';
import { get } from './helpers/http.js';
import type { NodeProcess } from './helpers/node-process.js';
import { freePort } from './helpers/ports.js';

const running: NodeProcess[] = [];

/** Event-driven: asks the primary for stats until a worker shows a request in flight. */
async function untilInFlight(primary: NodeProcess): Promise<void> {
  for (;;) {
    const from = primary.lines.length;
    primary.send('stats');
    const { stats } = (await primary.waitForTest('stats', { from })) as {
      stats: { inFlight: number };
    };
    if (stats.inFlight > 0) return;
  }
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

describe('graceful stop', () => {
  it('on SIGTERM completes a slow in-flight request, marks it draining and exits 0', async () => {
    const port = await freePort();
    const primary = startPrimary({ entry: fixture('hello.mjs'), workers: 2, port, grace: '30s' });
    running.push(primary);
    await primary.waitForTest('ready');

    const slow = get(port, '/slow?ms=3000');
    await untilInFlight(primary);
    primary.child.kill('SIGTERM');
    await primary.waitFor((_l, j) => j?.msg === 'SIGTERM: stopping gracefully');
    primary.child.kill('SIGTERM'); // a repeated SIGTERM is ignored, not an emergency

    const reply = await slow;
    expect(reply.status).toBe(200);
    expect(reply.headers['fleet-draining']).toBe('1');
    expect(reply.headers.connection).toBe('close');
    expect((await primary.exit).code).toBe(0);
    expect(primary.records().some((r) => r.msg === 'SIGTERM while stopping: ignored')).toBe(true);
    expect(
      primary.records().filter((r) => r.test === 'worker-exit' && r.expected === true),
    ).toHaveLength(2);
  });

  it('cuts a request that outlives grace and still exits 0', async () => {
    const port = await freePort();
    const primary = startPrimary({
      entry: fixture('hello.mjs'),
      workers: 1,
      port,
      grace: '500ms',
      drainWindow: '100ms',
    });
    running.push(primary);
    await primary.waitForTest('ready');

    const hung = get(port, '/slow?ms=600000').then(
      () => 'answered',
      () => 'cut',
    );
    await untilInFlight(primary);
    primary.child.kill('SIGTERM');
    expect(await hung).toBe('cut');
    expect((await primary.exit).code).toBe(0);
    expect(primary.records().some((r) => String(r.msg).startsWith('grace period over'))).toBe(true);
  });

  it('forces the exit on a second SIGINT', async () => {
    const port = await freePort();
    const primary = startPrimary({ entry: fixture('hello.mjs'), workers: 1, port, grace: '60s' });
    running.push(primary);
    await primary.waitForTest('ready');
    void get(port, '/slow?ms=600000').catch(() => {});
    await untilInFlight(primary);
    primary.child.kill('SIGINT');
    await primary.waitFor((_l, j) => j?.msg === 'SIGINT: stopping gracefully');
    await delay(1500); // a person pressing again, not the same Ctrl-C forwarded by npm
    primary.child.kill('SIGINT');
    expect((await primary.exit).code).toBe(130);
  });

  it('stops gracefully when one Ctrl-C arrives twice at once (terminal and npm/pnpm both send it)', async () => {
    const port = await freePort();
    const primary = startPrimary({ entry: fixture('hello.mjs'), workers: 1, port });
    running.push(primary);
    await primary.waitForTest('ready');
    primary.child.kill('SIGINT');
    primary.child.kill('SIGINT');
    expect((await primary.exit).code).toBe(0);
    expect(primary.records().some((r) => String(r.msg).startsWith('second SIGINT'))).toBe(false);
  });

  it('SIGKILLs a worker that cannot drain (blocked event loop) after grace and still exits 0', async () => {
    const port = await freePort();
    const primary = startPrimary({ entry: fixture('hello.mjs'), workers: 1, port, grace: '500ms' });
    running.push(primary);
    const { stats } = (await primary.waitForTest('ready')) as {
      stats: { workers: Array<{ pid: number }> };
    };
    get(port, '/block?ms=600000').catch(() => {});
    await primary.waitFor((_l, j) => j?.msg === 'blocking the event loop');
    primary.child.kill('SIGTERM');
    const exit = await primary.waitFor(
      (_l, j) => j?.test === 'worker-exit' && j.pid === stats.workers[0]!.pid,
    );
    expect(exit).toMatchObject({ signal: 'SIGKILL', expected: true });
    expect(String(exit.reason)).toContain('still running 500 ms after drain');
    expect((await primary.exit).code).toBe(0);
  });
});

describe('stop during start-up', () => {
  it('ends the workers that are not listening yet without waiting out grace, and none logs "started" after "stopping"', async () => {
    const primary = startPrimary({
      entry: fixture('hello.mjs'),
      workers: 2,
      port: await freePort(),
    });
    running.push(primary);
    await primary.waitFor((_l, j) => /^primary \d+ starting/.test(String(j?.msg)));
    primary.child.kill('SIGTERM'); // the workers are still booting

    expect((await primary.exit).code).toBe(0);
    const records = primary.records();
    const exits = records.filter((r) => r.test === 'worker-exit');
    expect(exits).toHaveLength(2);
    for (const exit of exits) {
      expect(exit.expected).toBe(true);
      expect(exit.signal).not.toBe('SIGKILL'); // the backstop after grace never fired
      expect(String(exit.reason)).not.toContain('after drain');
    }
    const stopping = records.findIndex((r) => String(r.msg).startsWith('stopping: draining'));
    expect(stopping).toBeGreaterThanOrEqual(0);
    const startedAfter = records
      .slice(stopping)
      .filter((r) => /^worker \d+ started/.test(String(r.msg)));
    expect(startedAfter).toEqual([]);
    expect(records.find((r) => r.test === 'ready-failed')?.code).toBe('KF_FLEET_STOPPED');
  });
});

describe('shutdownDelay', () => {
  it('keeps accepting and serving while readiness already says draining, then stops cleanly', async () => {
    const port = await freePort();
    const primary = startPrimary({
      entry: fixture('hello.mjs'),
      workers: 1,
      port,
      shutdownDelay: '20s',
      drainWindow: '100ms',
    });
    running.push(primary);
    await primary.waitForTest('ready');
    expect((await get(port)).json()).toMatchObject({ state: 'ready' });

    primary.child.kill('SIGTERM');
    await primary.waitFor((_l, j) => j?.msg === 'draining');
    // A new keep-alive connection during the delay is accepted and answered normally (kept
    // alive), while the lifecycle — what /readyz reports — already says draining.
    const agent = new Agent({ keepAlive: true });
    const during = await httpRequest(`http://127.0.0.1:${port}/`, { agent });
    agent.destroy();
    expect(during.status).toBe(200);
    expect(during.json()).toMatchObject({ state: 'draining' });
    expect(during.headers['fleet-draining']).toBe('1');
    expect(during.headers.connection).toBe('keep-alive');
    expect(await primary.exit).toMatchObject({ code: 0 });
  });

  it('is validated like every duration option', async () => {
    const { resolveOptions } = await import('../src/options.js');
    expect(() => resolveOptions({ entry: fixture('hello.mjs'), shutdownDelay: 'soon' })).toThrow(
      /option "shutdownDelay" must be a duration/,
    );
  });
});
