import { mkdtempSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpRequest } from '@koa-fleet/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { connectFleetControl } from '../src/index.js';
import type { ControlEvent, FleetControl } from '../src/index.js';
import { fixture, startPrimary } from './helpers/fleet.js';
import { get } from './helpers/http.js';
import type { NodeProcess } from './helpers/node-process.js';
import { freePortRange } from './helpers/ports.js';
import { RawControl } from './helpers/raw-control.js';

const running: NodeProcess[] = [];
const clients: FleetControl[] = [];
const agents: Agent[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const agent of agents.splice(0)) agent.destroy();
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

const socketIn = () => join(mkdtempSync(join(tmpdir(), 'kf-control-')), 'fleet.sock');

/** A fleet of 2 workers on per-worker ports, with a control socket; resolves once ready. */
async function startFleetWithControl(options: Record<string, unknown> = {}) {
  const port = await freePortRange(2);
  const socketPath = socketIn();
  const primary = startPrimary({
    entry: fixture('hello.mjs'),
    workers: 2,
    port,
    perWorkerPorts: true,
    controlSocket: socketPath,
    ...options,
  });
  running.push(primary);
  await primary.waitForTest('ready');
  const control = await connectFleetControl({ socketPath });
  clients.push(control);
  return { primary, port, socketPath, control };
}

/** Events as they came, and a wait for one of them (never a sleep). */
function eventLog() {
  const events: ControlEvent[] = [];
  const waiters = new Set<() => void>();
  return {
    events,
    push(event: ControlEvent) {
      events.push(event);
      for (const wake of [...waiters]) wake();
    },
    waitFor(match: (event: ControlEvent) => boolean): Promise<ControlEvent> {
      return new Promise((resolve) => {
        const check = () => {
          const found = events.find(match);
          if (!found) return;
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** One event in words, so a sequence of them reads as a list. */
function summary(event: ControlEvent): string {
  switch (event.event) {
    case 'worker-starting':
    case 'worker-ready':
    case 'worker-draining':
      return `${event.event} ${event.workerId} g${event.generation} pid ${event.pid} port ${event.port}`;
    case 'worker-exit':
      return `worker-exit ${event.workerId} pid ${event.pid} expected ${event.expected}`;
    case 'status':
      return `status ${event.status}`;
    case 'reload-done':
      return `reload-done ${event.ok}`;
    default:
      return event.event;
  }
}

interface Served {
  pid: number;
  state: string;
}

describe('the control socket: subscribe', () => {
  it("says hello with every worker's port, then each event of a rolling reload in order, each worker-draining while that worker still serves normally", async () => {
    const { primary, port, control } = await startFleetWithControl();
    // One kept-alive connection per worker, opened before the reload: a request on it can only
    // reach that worker, whatever the primary does with new connections.
    const pinned = [0, 1].map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
    agents.push(...pinned);
    const ask = (slot: number) =>
      httpRequest(`http://127.0.0.1:${port + slot}/`, { agent: pinned[slot] });
    const before = await Promise.all([0, 1].map(async (slot) => (await ask(slot)).json<Served>()));

    const log = eventLog();
    const whileDraining: Array<{ draining: number; servedBy: number; state: string }> = [];
    const headers: Array<[string | undefined, string | undefined]> = [];
    const subscription = await control.subscribe(async (event) => {
      log.push(event);
      if (event.event !== 'worker-draining') return;
      // The primary drains this worker only once this handler is done (the ack): asked now, on
      // its own connection, it must answer as a serving worker — lifecycle 'ready', no drain
      // header, the connection kept. Had the drain begun, all three would say so.
      const reply = await ask(event.workerId);
      const { pid, state } = reply.json<Served>();
      whileDraining.push({ draining: event.pid, servedBy: pid, state });
      headers.push([
        reply.headers['fleet-draining'] as string | undefined,
        reply.headers.connection,
      ]);
    });

    expect(subscription.hello).toMatchObject({
      event: 'hello',
      version: 1,
      fleet: { pid: primary.pid, host: '127.0.0.1', perWorkerPorts: true, status: 'ready' },
    });
    expect(subscription.hello.workers).toEqual([
      { workerId: 0, pid: before[0]!.pid, generation: 1, state: 'ready', port },
      { workerId: 1, pid: before[1]!.pid, generation: 1, state: 'ready', port: port + 1 },
    ]);

    await control.reload();
    await log.waitFor((e) => e.event === 'status' && e.status === 'ready');

    const pids = log.events.filter((e) => e.event === 'worker-ready').map((e) => e.pid);
    const [old0, old1] = [before[0]!.pid, before[1]!.pid];
    expect(log.events.map(summary)).toEqual([
      'reload-start',
      'status reloading',
      `worker-starting 0 g2 pid ${pids[0]} port ${port}`,
      `worker-ready 0 g2 pid ${pids[0]} port ${port}`,
      `worker-draining 0 g1 pid ${old0} port ${port}`,
      `worker-exit 0 pid ${old0} expected true`,
      `worker-starting 1 g2 pid ${pids[1]} port ${port + 1}`,
      `worker-ready 1 g2 pid ${pids[1]} port ${port + 1}`,
      `worker-draining 1 g1 pid ${old1} port ${port + 1}`,
      `worker-exit 1 pid ${old1} expected true`,
      'reload-done true',
      'status ready',
    ]);
    const first = subscription.hello.seq + 1;
    expect(log.events.map((e) => e.seq)).toEqual(log.events.map((_e, i) => first + i));
    expect(whileDraining).toEqual([
      { draining: old0, servedBy: old0, state: 'ready' },
      { draining: old1, servedBy: old1, state: 'ready' },
    ]);
    expect(headers).toEqual([
      [undefined, 'keep-alive'],
      [undefined, 'keep-alive'],
    ]);
  });

  it('a subscriber that never reads nor acks holds each drain only until controlAckTimeout', async () => {
    const { primary, socketPath, control } = await startFleetWithControl({
      controlAckTimeout: '300ms',
    });
    const silent = await RawControl.open(socketPath, '{"command":"subscribe","version":1}');
    await silent.waitFor((line) => line.event === 'hello');
    silent.pause();

    await control.reload();

    const late = primary
      .records()
      .filter((r) => /did not acknowledge within 300 ms/.test(String(r.msg)));
    expect(late.map((r) => r.msg)).toEqual([
      expect.stringMatching(/^worker-draining \d+: 1 control subscriber did not acknowledge/),
      expect.stringMatching(/^worker-draining \d+: 1 control subscriber did not acknowledge/),
    ]);
    // It was sent both events all along; it just never read them.
    silent.resume();
    await silent.waitFor((line) => line.event === 'reload-done');
    const draining = silent.lines.filter((line) => line.event === 'worker-draining');
    expect(draining.map((line) => line.seq)).toEqual(late.map((r) => r.seq));
  });

  it('a subscriber that disconnects on worker-draining holds nothing, and the fleet serves on', async () => {
    // A bound this long would fail the test by its timeout if a gone subscriber held the drain.
    const { primary, port, socketPath, control } = await startFleetWithControl({
      controlAckTimeout: '1m',
    });
    const leaving = await RawControl.open(socketPath, '{"command":"subscribe","version":1}');
    void leaving
      .waitFor((line) => line.event === 'worker-draining')
      .then(() => {
        leaving.socket.destroy();
      });

    await control.reload();

    expect(leaving.lines.filter((line) => line.event === 'worker-draining')).toHaveLength(1);
    expect(primary.records().some((r) => /did not acknowledge/.test(String(r.msg)))).toBe(false);
    expect(await control.stats()).toMatchObject({ status: 'ready', ready: 2 });
    expect((await get(port)).json()).toMatchObject({ generation: 2 });
    expect(primary.child.exitCode).toBeNull();
  });
});

describe('the control socket: commands', () => {
  it("answers stats, restarts one slot's worker only, and refuses bad requests with coded errors", async () => {
    const { primary, port, socketPath, control } = await startFleetWithControl();
    const stats = await control.stats();
    expect(stats).toMatchObject({ status: 'ready', ready: 2, desired: 2 });
    const [w0, w1] = stats.workers;

    const from = primary.lines.length;
    const restarted = await control.restartWorker(1);
    expect(restarted).toMatchObject({ workerId: 1, generation: 1, state: 'ready', port: port + 1 });
    expect(restarted.pid).not.toBe(w1!.pid);
    await primary.waitFor((_l, j) => j?.test === 'worker-exit' && j.pid === w1!.pid, { from });
    const after = await control.stats();
    expect(after.workers.map((w) => [w.workerId, w.pid, w.restarts])).toEqual([
      [0, w0!.pid, 0],
      [1, restarted.pid, 1],
    ]);
    expect((await get(port + 1)).json()).toMatchObject({ pid: restarted.pid });

    await expect(control.restartWorker(2)).rejects.toMatchObject({
      code: 'KF_FLEET_CONTROL_REMOTE',
      remoteCode: 'KF_WORKER_SLOT',
      message: 'slot must be an integer from 0 to 1 (the fleet has 2 slots), got 2',
    });
    const refused = async (line: string) => (await RawControl.exchange(socketPath, line))[0];
    expect(await refused('reload please')).toMatchObject({
      ok: false,
      code: 'KF_FLEET_CONTROL_REQUEST',
    });
    expect(await refused('{"command":"dance"}')).toMatchObject({
      ok: false,
      code: 'KF_FLEET_CONTROL_COMMAND',
    });
    expect(await refused('{"command":"restart-worker","slot":"1"}')).toMatchObject({
      ok: false,
      code: 'KF_WORKER_SLOT',
    });
    expect(await refused('{"command":"subscribe","version":2}')).toMatchObject({
      ok: false,
      code: 'KF_FLEET_CONTROL_VERSION',
    });
    const badAck = await RawControl.open(socketPath, '{"command":"subscribe","version":1}');
    await badAck.waitFor((line) => line.event === 'hello');
    badAck.send('{"ack":"soon"}');
    await badAck.closed;
    expect(badAck.lines.at(-1)).toMatchObject({ ok: false, code: 'KF_FLEET_CONTROL_REQUEST' });

    // None of it touched the workers.
    const last = await control.stats();
    expect(last.workers.map((w) => w.pid)).toEqual([w0!.pid, restarted.pid]);
    expect(last.status).toBe('ready');
  });

  it('stop answers with the exit code and ends the subscriptions after the last event', async () => {
    const { primary, control } = await startFleetWithControl();
    const log = eventLog();
    const subscription = await control.subscribe((event) => log.push(event));
    const from = primary.lines.length;
    expect(await control.stop()).toBe(0);
    expect(await subscription.closed).toMatchObject({ code: 'KF_FLEET_CONTROL_CLOSED' });
    const statuses = log.events.filter((e) => e.event === 'status').map(summary);
    expect(statuses).toEqual(['status stopping', 'status stopped']);
    expect(log.events.findIndex((e) => e.event === 'status')).toBe(0);
    expect(await primary.waitForTest('closed', { from })).toMatchObject({ code: 0 });
  });

  it('a client names what it cannot reach or was given', async () => {
    await expect(connectFleetControl({ socketPath: socketIn() })).rejects.toMatchObject({
      code: 'KF_FLEET_CONTROL_CONNECT',
    });
    await expect(connectFleetControl({} as never)).rejects.toMatchObject({
      code: 'KF_INVALID_OPTION',
      message: expect.stringContaining('exactly one of pidFile and socketPath') as string,
    });
  });
});
