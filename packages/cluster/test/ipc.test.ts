import { afterEach, describe, expect, it } from 'vitest';
import { fixture, startPrimary } from './helpers/fleet.js';
import { get } from './helpers/http.js';
import type { NodeProcess } from './helpers/node-process.js';
import { freePortRange } from './helpers/ports.js';

const running: NodeProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

async function startWithPlugin(): Promise<{ primary: NodeProcess; port: number }> {
  const port = await freePortRange(2);
  const primary = startPrimary(
    { entry: fixture('ipc-app.mjs'), workers: 2, port, perWorkerPorts: true },
    'primary-with-plugin.mjs',
  );
  running.push(primary);
  await primary.waitForTest('ready');
  return { primary, port };
}

describe('typed IPC between workers and a fleet plugin', () => {
  it("lets a worker ask a plugin's handler in the primary, which sees who asked", async () => {
    const { primary, port } = await startWithPlugin();
    const answer = (await get(port + 1, '/ask')).json();
    expect(answer).toMatchObject({ type: 'hello', payload: { from: 1 }, from: { workerId: 1 } });
    expect((await get(port, '/ask-nobody')).json()).toEqual({ code: 'KF_IPC_NO_HANDLER' });
    expect(primary.records().filter((r) => r.test === 'plugin-saw-ready')).toHaveLength(2);
  });

  it('gathers an answer from every worker and reports a failing one without failing the rest', async () => {
    const { primary } = await startWithPlugin();
    primary.send('gather');
    const { results } = (await primary.waitForTest('gather')) as {
      results: Array<Record<string, unknown>>;
    };
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(results.map((r) => (r.value as { workerId: number }).workerId).sort()).toEqual([0, 1]);

    primary.send('gather-fail');
    const failed = (await primary.waitForTest('gather-fail')) as {
      results: Array<Record<string, unknown>>;
    };
    expect(failed.results.map((r) => r.error).sort()).toEqual([
      'worker 0 refuses',
      'worker 1 refuses',
    ]);
  });

  it('answers a type a handler map does not list with KF_IPC_UNKNOWN_TYPE, on both ends', async () => {
    const { primary, port } = await startWithPlugin();
    expect((await get(port, '/ask-unknown-type')).json()).toEqual({
      code: 'KF_IPC_UNKNOWN_TYPE',
      message: 'IPC namespace "kf:stats" has no handler for type "nope"',
    });
    primary.send('gather-unknown-type');
    const { results } = (await primary.waitForTest('gather-unknown-type')) as {
      results: Array<Record<string, unknown>>;
    };
    expect(results.map((r) => [r.ok, r.code])).toEqual([
      [false, 'KF_IPC_UNKNOWN_TYPE'],
      [false, 'KF_IPC_UNKNOWN_TYPE'],
    ]);
  });

  it('broadcasts to every worker', async () => {
    const { primary, port } = await startWithPlugin();
    primary.send('broadcast');
    await primary.waitForTest('broadcast-sent');
    for (const p of [port, port + 1]) {
      // Delivery is asynchronous; ask until the worker has it (bounded, event-driven by replies).
      let news: unknown[] = [];
      for (let i = 0; i < 100 && news.length === 0; i++)
        news = (await get(p, '/news')).json<unknown[]>();
      expect(news).toEqual([{ type: 'flash', payload: { n: 1 } }]);
    }
  });

  it("ignores other libraries' messages, logs malformed ones and keeps working", async () => {
    const { primary, port } = await startWithPlugin();
    expect((await get(port, '/junk')).json()).toEqual({ sent: true });
    const warning = await primary.waitFor((_l, j) => j?.msg === 'ignored a malformed IPC message');
    expect(warning.reason).toBe('field "id" is invalid: "not-a-number"');
    expect(primary.lines.some((l) => l.includes('another-library'))).toBe(false);
    expect((await get(port, '/ask')).json()).toMatchObject({ type: 'hello' });
  });

  it('runs the plugin cleanup when the fleet stops', async () => {
    const { primary } = await startWithPlugin();
    primary.child.kill('SIGTERM');
    expect((await primary.exit).code).toBe(0);
    expect(primary.records().some((r) => r.test === 'plugin-cleanup')).toBe(true);
  });
});
