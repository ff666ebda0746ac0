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
});
