import { afterEach, describe, expect, it } from 'vitest';
import { fixture, startPrimary } from './helpers/fleet.js';
import { get } from './helpers/http.js';
import type { NodeProcess } from './helpers/node-process.js';
import { freePort, freePortRange } from './helpers/ports.js';

const running: NodeProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

function start(options: Record<string, unknown>, script?: string): NodeProcess {
  const primary = startPrimary(options, script);
  running.push(primary);
  return primary;
}

interface Stats {
  status: string;
  ready: number;
  workers: Array<{ pid: number; workerId: number; port: number; state: string }>;
}

describe('starting a fleet', () => {
  it("forks the workers, logs each one's pid and slot, and serves on the shared port", async () => {
    const port = await freePort();
    const primary = start({ entry: fixture('hello.mjs'), workers: 2, port });
    const { stats } = (await primary.waitForTest('ready')) as { stats: Stats };

    expect(stats.status).toBe('ready');
    expect(stats.ready).toBe(2);
    const pids = stats.workers.map((w) => w.pid).sort();
    const started = primary
      .records()
      .filter((r) => /^worker \d+ started \(slot \d\)/.test(String(r.msg)))
      .map((r) => ({ pid: r.pid, workerId: r.workerId }));
    expect(started.map((s) => s.pid).sort()).toEqual(pids);
    expect(started.map((s) => s.workerId).sort()).toEqual([0, 1]);

    const reply = await get(port);
    expect(reply.status).toBe(200);
    expect(pids).toContain(reply.json().pid);
    expect(reply.json().state).toBe('ready');
    expect(reply.json().exec).toBe('worker-main.js'); // the ESM build forks its ESM bootstrap
  });

  it('gives worker i the port port + i in per-worker mode, each answering from its own pid', async () => {
    const port = await freePortRange(2);
    const primary = start({ entry: fixture('hello.mjs'), workers: 2, port, perWorkerPorts: true });
    const { stats } = (await primary.waitForTest('ready')) as { stats: Stats };

    const first = (await get(port)).json();
    const second = (await get(port + 1)).json();
    expect(first.workerId).toBe(0);
    expect(second.workerId).toBe(1);
    expect(first.pid).not.toBe(second.pid);
    expect(stats.workers.find((w) => w.workerId === 1)).toMatchObject({
      port: port + 1,
      pid: second.pid,
    });
  });

  it('runs from the CommonJS build with an entry that sets module.exports to an app', async () => {
    const port = await freePort();
    const primary = start({ entry: fixture('plain-app.cjs'), workers: 1, port }, 'primary.cjs');
    const { stats } = (await primary.waitForTest('ready')) as { stats: Stats };

    const reply = (await get(port)).json();
    expect(reply).toEqual({ pid: stats.workers[0]!.pid, kind: 'cjs', exec: 'worker-main.cjs' });
  });

  it("answers a worker's kf:stats request with the fleet stats", async () => {
    const port = await freePort();
    const primary = start({ entry: fixture('hello.mjs'), workers: 2, port });
    await primary.waitForTest('ready');

    const stats = (await get(port, '/stats')).json<Stats>();
    expect(stats.ready).toBe(2);
    expect(stats.workers).toHaveLength(2);
  });

  it('serves an app given directly by forking the calling script as each worker', async () => {
    const port = await freePortRange(2);
    const primary = start({ workers: 2, port, perWorkerPorts: true }, 'app-mode.mjs');
    const { stats } = (await primary.waitForTest('ready')) as { stats: Stats };

    const replies = [(await get(port)).json(), (await get(port + 1)).json()];
    expect(replies.map((r) => r.workerId)).toEqual([0, 1]);
    expect(replies.map((r) => r.pid).sort()).toEqual(stats.workers.map((w) => w.pid).sort());
    expect(replies[0]).toMatchObject({ mode: 'app', args: 1 }); // the script's own argv reached it
    // The script ran in each worker too, but only the primary printed "ready".
    expect(primary.records().filter((r) => r.test === 'ready')).toHaveLength(1);
    primary.child.kill('SIGTERM');
    expect((await primary.exit).code).toBe(0);
  });

  it('logs the port the workers bound when given port 0, in the workers and the primary', async () => {
    const primary = start({ entry: fixture('hello.mjs'), workers: 2, port: 0 });
    const { stats } = (await primary.waitForTest('ready')) as { stats: Stats };

    const bound = stats.workers[0]!.port;
    expect(bound).toBeGreaterThan(0);
    expect(stats.workers.map((w) => w.port)).toEqual([bound, bound]); // one shared port
    expect((await get(bound)).status).toBe(200);
    const started = primary
      .records()
      .filter((r) => /^worker \d+ started/.test(String(r.msg)))
      .map((r) => r.msg);
    expect(started).toHaveLength(2);
    for (const line of started) expect(line).toMatch(new RegExp(`on 127\\.0\\.0\\.1:${bound}$`));
    const ready = primary.records().find((r) => String(r.msg).startsWith('fleet ready'));
    expect(ready?.msg).toBe(`fleet ready: 2/2 workers on 127.0.0.1:${bound}`);
  });

  it('says "1 worker" and "port N", not "1 workers" and a range of one port', async () => {
    const port = await freePort();
    const primary = start({ entry: fixture('hello.mjs'), workers: 1, port, perWorkerPorts: true });
    await primary.waitForTest('ready');

    const starting = primary.records().find((r) => String(r.msg).includes(' starting '));
    expect(starting?.msg).toBe(`primary ${primary.pid} starting 1 worker on 127.0.0.1:${port}`);
    primary.child.kill('SIGTERM');
    await primary.exit;
    expect(primary.records().some((r) => r.msg === 'stopping: draining 1 worker')).toBe(true);
  });
});
