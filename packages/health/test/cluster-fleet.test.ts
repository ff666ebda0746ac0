import { Agent, get } from 'node:http';
import { fileURLToPath } from 'node:url';
import { freePort, isPortFree, spawnNode, type NodeProcess } from '@koa-fleet/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson } from './support/serve.js';

// Real processes: a @koa-fleet/cluster primary with the health plugin and two workers on
// per-worker ports (port and port + 1), so the test can choose which worker it talks to.
const primaryScript = fileURLToPath(new URL('./fixtures/fleet-primary.mjs', import.meta.url));
let primary: NodeProcess;
let port: number;

async function twoFreePorts(): Promise<number> {
  for (;;) {
    const first = await freePort();
    if (await isPortFree(first + 1)) return first;
  }
}

beforeAll(async () => {
  port = await twoFreePorts();
  primary = await spawnNode(primaryScript, {
    args: [String(port)],
    readyLine: /fleet ready 2/,
    timeout: 60_000,
  });
});

afterAll(async () => {
  await primary?.stop({ timeout: 20_000 });
});

const REQUESTS = 'koa_fleet_http_requests_total{method="GET",route="*",status="200"}';

function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('under @koa-fleet/cluster with two workers', () => {
  it("sums both workers' request counts in the scrape of either worker", async () => {
    const served = new Set<number>();
    for (const [target, times] of [
      [port, 3],
      [port + 1, 2],
    ] as const) {
      for (let i = 0; i < times; i++) {
        served.add(
          ((await (await fetch(`http://127.0.0.1:${target}/hello`)).json()) as { pid: number }).pid,
        );
      }
    }
    expect(served.size).toBe(2);
    for (const target of [port, port + 1]) {
      const text = await (await fetch(`http://127.0.0.1:${target}/metrics`)).text();
      expect(sample(text, REQUESTS)).toBe(5);
      expect(sample(text, 'koa_fleet_metrics_workers_answered')).toBe(2);
      expect(sample(text, 'koa_fleet_process_resident_memory_bytes{worker="0"}')).toBeGreaterThan(
        0,
      );
      expect(sample(text, 'koa_fleet_process_resident_memory_bytes{worker="1"}')).toBeGreaterThan(
        0,
      );
    }
  });

  it('answers readiness per worker and the fleet view for all of them', async () => {
    expect((await fetch(`http://127.0.0.1:${port + 1}/readyz`)).status).toBe(200);
    const { status, body } = await getJson(`http://127.0.0.1:${port}/healthz/fleet`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'pass', output: '2 of 2 workers ready' });
    expect(body.checks?.['fleet:workers']?.map((worker) => worker.observedValue)).toEqual([
      'ready',
      'ready',
    ]);
  });

  it("turns a draining worker's /readyz 503 during a rolling reload, and the slot is ready again after", async () => {
    // One kept-alive socket, opened before the reload, stays with the old worker of slot 0.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = await request(agent, `http://127.0.0.1:${port}/readyz`);
      expect(before.status).toBe(200);
      const connection = before.connection;
      // To the primary alone: the test kit's kill() signals the whole process group.
      process.kill(primary.pid, 'SIGHUP');
      await primary.waitForLine(/worker 0 draining pid \d+/);
      let during = before;
      while (during.status === 200)
        during = await request(agent, `http://127.0.0.1:${port}/readyz`);
      expect(during.status).toBe(503);
      expect(during.body).toMatchObject({ status: 'fail', output: 'draining' });
      expect(during.connection).toBe(connection); // still the old worker, on the same socket
      await primary.waitForLine('reload done true', { timeout: 60_000 });
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    } finally {
      agent.destroy();
    }
  }, 120_000); // a rolling reload forks and readies two replacements on a busy machine
});

/** GET over `agent`; `connection` (the client's local port) tells whether the socket was reused. */
function request(agent: Agent, url: string) {
  return new Promise<{ status: number; body: Record<string, unknown>; connection: number }>(
    (resolve, reject) => {
      get(url, { agent }, (res) => {
        // Read now: a kept-alive socket goes back to the agent's pool once the body has ended.
        const connection = res.socket.localPort ?? 0;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(text) as Record<string, unknown>,
            connection,
          }),
        );
      }).on('error', reject);
    },
  );
}
