import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { health, healthFleetPlugin, type HealthMiddleware } from '../src/index.js';
import { InMemoryFleet } from './support/in-memory-fleet.js';
import { ManualLifecycle } from './support/manual-lifecycle.js';
import { getJson, serve, type Served } from './support/serve.js';

const running: Array<{ middleware: HealthMiddleware; served: Served }> = [];

afterEach(async () => {
  for (const { middleware, served } of running.splice(0)) {
    middleware.close();
    await served.close();
  }
});

/** One worker: a real Koa server on loopback wired to the fleet through the structural seams. */
async function startWorker(fleet: InMemoryFleet, workerId: number) {
  const lifecycle = new ManualLifecycle('ready');
  const middleware = health({
    shutdownSignals: [],
    fleetTimeout: 1_000,
    lifecycle,
    fleet: fleet.join(workerId, lifecycle),
  });
  const app = new Koa().use(middleware).use((ctx) => {
    ctx.body = { workerId };
  });
  const served = await serve(app);
  running.push({ middleware, served });
  return { url: served.url, lifecycle };
}

async function hit(url: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await (await fetch(`${url}/hello`)).text();
}

/** The value of one sample line, e.g. `koa_fleet_http_requests_total{...} 5`. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

const REQUESTS = 'koa_fleet_http_requests_total{method="GET",route="*",status="200"}';

describe('fleet integration through the structural seams', () => {
  it("sums every worker's request counts into one scrape, whichever worker is asked", async () => {
    const fleet = new InMemoryFleet(2);
    const plugin = healthFleetPlugin({ gatherTimeout: 200 });
    await plugin.setup(fleet.primary);
    const [a, b] = [await startWorker(fleet, 0), await startWorker(fleet, 1)];
    await hit(a.url, 3);
    await hit(b.url, 2);
    for (const worker of [a, b]) {
      const text = await (await fetch(`${worker.url}/metrics`)).text();
      expect(sample(text, REQUESTS)).toBe(5);
      expect(sample(text, 'koa_fleet_metrics_workers_answered')).toBe(2);
      // Gauges are per worker, never summed.
      expect(sample(text, 'koa_fleet_http_requests_in_flight{worker="0"}')).toBeDefined();
      expect(sample(text, 'koa_fleet_http_requests_in_flight{worker="1"}')).toBeDefined();
    }
  });

  it('keeps the counters of a replaced worker so the total never goes backwards', async () => {
    const fleet = new InMemoryFleet(2);
    const plugin = healthFleetPlugin({ gatherTimeout: 200 });
    await plugin.setup(fleet.primary);
    const a = await startWorker(fleet, 0);
    const b = await startWorker(fleet, 1);
    await hit(a.url, 3);
    await hit(b.url, 4);
    expect(sample((await plugin.scrape()).text, REQUESTS)).toBe(7);

    // Slot 1 restarts: a new process with a fresh registry takes its place.
    const old = running.pop()!;
    old.middleware.close();
    await old.served.close();
    const replacement = await startWorker(fleet, 1);
    await hit(replacement.url, 1);
    const text = (await plugin.scrape()).text;
    expect(sample(text, REQUESTS)).toBe(8);
    expect(sample(text, 'koa_fleet_worker_restarts_total')).toBe(1);
  });

  it('makes a partial scrape that says so when a worker does not answer', async () => {
    const fleet = new InMemoryFleet(2);
    const plugin = healthFleetPlugin({ gatherTimeout: 200 });
    await plugin.setup(fleet.primary);
    const a = await startWorker(fleet, 0);
    const b = await startWorker(fleet, 1);
    await hit(a.url, 2);
    await hit(b.url, 2);
    await plugin.scrape(); // the primary has now seen worker 1's counters once
    fleet.silence(1);
    await hit(a.url, 1);
    const response = await fetch(`${a.url}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(sample(text, 'koa_fleet_metrics_workers_answered')).toBe(1);
    expect(sample(text, 'koa_fleet_metrics_workers_expected')).toBe(2);
    // The silent worker's last-seen counters stay in, so the sum does not dip.
    expect(sample(text, REQUESTS)).toBe(5);
    expect(sample(text, 'koa_fleet_http_requests_in_flight{worker="1"}')).toBeUndefined();
  });

  it('answers "k of N workers ready" with each worker\'s state from any worker', async () => {
    const fleet = new InMemoryFleet(2);
    await healthFleetPlugin({ gatherTimeout: 200 }).setup(fleet.primary);
    const a = await startWorker(fleet, 0);
    const b = await startWorker(fleet, 1);
    const all = await getJson(`${a.url}/healthz/fleet`);
    expect(all).toMatchObject({
      status: 200,
      body: { status: 'pass', output: '2 of 2 workers ready' },
    });
    expect(all.body.checks?.['fleet:workers']).toHaveLength(2);

    b.lifecycle.set('draining');
    const one = await getJson(`${b.url}/healthz/fleet`);
    expect(one).toMatchObject({
      status: 200,
      body: { status: 'warn', output: '1 of 2 workers ready' },
    });
    expect(one.body.checks?.['fleet:workers']?.find((w) => w.componentId === '1')).toMatchObject({
      observedValue: 'draining',
      status: 'fail',
    });
    a.lifecycle.set('draining');
    expect((await getJson(`${a.url}/healthz/fleet`)).status).toBe(503);
  });

  it("fails the scrape rather than pass one worker's counters off as the fleet's when the primary is silent", async () => {
    const fleet = new InMemoryFleet(1);
    await healthFleetPlugin({ gatherTimeout: 200 }).setup(fleet.primary);
    const a = await startWorker(fleet, 0);
    await hit(a.url, 1);
    fleet.silencePrimary();
    const response = await fetch(`${a.url}/metrics`);
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/fleet metrics unavailable/);
  });

  it('serves its own metrics when no fleet plugin answers', async () => {
    const fleet = new InMemoryFleet(1);
    const a = await startWorker(fleet, 0);
    await hit(a.url, 2);
    const text = await (await fetch(`${a.url}/metrics`)).text();
    expect(sample(text, REQUESTS)).toBe(2);
    const view = await getJson(`${a.url}/healthz/fleet`);
    expect(view.status).toBe(503);
    // It says which plugin the primary lacks, not the IPC router's "no handler" wording.
    expect(view.body.output).toBe(
      'fleet view unavailable: the primary runs no healthFleetPlugin(): add it to startFleet({ plugins: [healthFleetPlugin()] }) (from @koa-fleet/health)',
    );
  });
});
