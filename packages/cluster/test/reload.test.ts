import { afterEach, describe, expect, it } from 'vitest';
import { breakEntry, writeVersionedEntry } from './helpers/entry-files.js';
import { startPrimary } from './helpers/fleet.js';
import { get } from './helpers/http.js';
import { startMixedLoad } from './helpers/mixed-load.js';
import type { NodeProcess } from './helpers/node-process.js';
import { freePort, freePortRange } from './helpers/ports.js';

const running: NodeProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

interface Stats {
  requests: number;
  workers: Array<{ pid: number; workerId: number; generation: number }>;
}

async function stats(primary: NodeProcess): Promise<Stats> {
  const from = primary.lines.length;
  primary.send('stats');
  return ((await primary.waitForTest('stats', { from })) as { stats: Stats }).stats;
}

describe('rolling reload', () => {
  it.each([
    ['the shared port (SIGHUP)', false],
    ['per-worker ports (reload())', true],
  ])(
    'under keep-alive GET+POST load on %s fails 0 requests and then serves the new code',
    async (_mode, perWorkerPorts) => {
      const port = perWorkerPorts ? await freePortRange(2) : await freePort();
      const entry = writeVersionedEntry('v1');
      const primary = startPrimary({ entry, workers: 2, port, perWorkerPorts });
      running.push(primary);
      await primary.waitForTest('ready');
      expect((await get(port)).json().version).toBe('v1');
      writeVersionedEntry('v2', entry); // the deploy

      const mixed = startMixedLoad(`http://127.0.0.1:${port}`);
      const load = mixed.result;
      // Reload only once the load is flowing through the workers.
      let before = 0;
      while ((before = (await stats(primary)).requests) < 500) {
        if (mixed.done()) throw new Error('the load ended before it reached the workers');
      }
      const from = primary.lines.length;
      let reloadDone: Promise<Record<string, unknown>>;
      if (perWorkerPorts) {
        primary.send('reload'); // fleet.reload()
        reloadDone = primary.waitForTest('reload', { from, timeout: 120_000 });
      } else {
        primary.child.kill('SIGHUP');
        reloadDone = primary
          .waitFor(
            (_l, j) => /^reload: generation 2 serving|^reload aborted/.test(String(j?.msg)),
            {
              from,
              timeout: 120_000,
            },
          )
          .then((j) => ({ ok: String(j.msg).startsWith('reload: generation 2 serving') }));
      }
      const reload = await reloadDone;
      const reloadFinishedUnderLoad = !mixed.done();
      const result = await load;
      console.info(`reload under load (${_mode}):`, JSON.stringify(result));

      expect(reload).toMatchObject({ ok: true });
      expect(reloadFinishedUnderLoad).toBe(true);
      expect(result.requests).toBeGreaterThan(500);
      expect({
        errors: result.errors,
        timeouts: result.timeouts,
        resets: result.resets,
        non2xx: result.non2xx,
      }).toEqual({
        errors: 0,
        timeouts: 0,
        resets: 0,
        non2xx: 0,
      });
      const after = (await get(port)).json();
      expect(after.version).toBe('v2');
      const after2 = await stats(primary);
      expect(after2.workers.map((w) => w.generation)).toEqual([2, 2]);
      // The fleet total keeps the requests of the drained generation: it never goes backwards.
      expect(after2.requests).toBeGreaterThan(before);
    },
    180_000,
  );

  it('stops at a replacement that cannot start and keeps the old workers serving', async () => {
    const port = await freePort();
    const entry = writeVersionedEntry('v1');
    const primary = startPrimary({ entry, workers: 2, port });
    running.push(primary);
    const before = ((await primary.waitForTest('ready')) as { stats: Stats }).stats.workers.map(
      (w) => w.pid,
    );

    breakEntry(entry);
    primary.send('reload');
    const reload = await primary.waitForTest('reload', { timeout: 120_000 });
    expect(reload).toMatchObject({ ok: false, code: 'KF_RELOAD_ABORTED' });
    expect(String(reload.message)).toMatch(/reload aborted at worker 0: .*SyntaxError/);
    expect(String(reload.message)).toContain('the previous workers keep serving');

    const now = await stats(primary);
    expect(now.workers.map((w) => w.pid).sort()).toEqual([...before].sort());
    expect((await get(port)).json().version).toBe('v1');
  });

  it('coalesces reloads asked for while one runs into one more pass', async () => {
    const port = await freePort();
    const entry = writeVersionedEntry('v1');
    const primary = startPrimary({ entry, workers: 2, port });
    running.push(primary);
    await primary.waitForTest('ready');

    for (let i = 0; i < 4; i++) primary.send('reload');
    const replies = () => primary.records().filter((r) => r.test === 'reload');
    await primary.waitFor(() => replies().length === 4, { timeout: 120_000 });
    expect(replies().every((r) => r.ok === true)).toBe(true);
    const passes = primary
      .records()
      .filter((r) => String(r.msg).startsWith('reload: starting generation'));
    expect(passes).toHaveLength(2);
    expect((await stats(primary)).workers.map((w) => w.generation)).toEqual([3, 3]);
  });
});
