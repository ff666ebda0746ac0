import Koa from 'koa';
import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { health, type HealthMiddleware, type HealthOptions } from '../src/index.js';
import { serve, type Served } from './support/serve.js';

let served: Served | undefined;
let middleware: HealthMiddleware | undefined;

afterEach(async () => {
  middleware?.close();
  await served?.close();
  served = middleware = undefined;
});

async function start(options: HealthOptions = {}): Promise<string> {
  const app = new Koa();
  middleware = health({ shutdownSignals: [], ...options });
  app.use(middleware);
  app.use((ctx) => {
    if (ctx.path === '/boom') throw new Error('boom');
    if (ctx.path === '/teapot') ctx.throw(418);
    // What koa-router / @koa/router record for a matched route.
    (ctx as typeof ctx & { _matchedRoute?: string })._matchedRoute = '/users/:id';
    ctx.body = { ok: true };
  });
  app.silent = true;
  served = await serve(app);
  return served.url;
}

const scrape = async (url: string) => (await fetch(`${url}/metrics`)).text();

describe('/metrics in a plain Koa app', () => {
  it('counts requests by method, route and status, timing them, and leaves the probes out', async () => {
    const url = await start();
    await fetch(`${url}/users/1`);
    await fetch(`${url}/users/2`);
    await fetch(`${url}/boom`);
    await fetch(`${url}/teapot`, { method: 'POST' });
    await fetch(`${url}/readyz`);
    const text = await scrape(url);
    expect(text).toContain(
      'koa_fleet_http_requests_total{method="GET",route="/users/:id",status="200"} 2',
    );
    expect(text).toContain('koa_fleet_http_requests_total{method="GET",route="*",status="500"} 1');
    expect(text).toContain('koa_fleet_http_requests_total{method="POST",route="*",status="418"} 1');
    expect(text).toContain(
      'koa_fleet_http_request_duration_seconds_count{method="GET",route="/users/:id",status="200"} 2',
    );
    expect(text).not.toContain('readyz');
    expect(text).toMatch(/koa_fleet_http_requests_in_flight 0/);
    expect(text).toMatch(/koa_fleet_event_loop_lag_seconds \d/);
    expect(text).toMatch(/koa_fleet_process_resident_memory_bytes \d+/);
  });

  it("serves other packages' metrics registered on the same registry", async () => {
    const registry = new Registry();
    new Counter({
      name: 'koa_fleet_session_loads_total',
      help: 'Sessions loaded.',
      registers: [registry],
    }).inc(3);
    const url = await start({ registry, metrics: { prefix: 'app_' } });
    const text = await scrape(url);
    expect(text).toContain('koa_fleet_session_loads_total 3');
    expect(text).toContain('app_http_requests_in_flight');
    expect(middleware!.registry).toBe(registry);
  });

  it('counts a request in flight until it is answered', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const app = new Koa();
    middleware = health({ shutdownSignals: [] });
    app.use(middleware).use(async (ctx) => {
      if (ctx.path === '/slow') await gate;
      ctx.body = 'ok';
    });
    served = await serve(app);
    const slow = fetch(`${served.url}/slow`);
    // Event-driven: scrape until the slow request has reached the app (no fixed sleep).
    let text = '';
    for (
      let tries = 0;
      !text.includes('koa_fleet_http_requests_in_flight 1') && tries < 200;
      tries++
    ) {
      text = await scrape(served.url);
    }
    expect(text).toContain('koa_fleet_http_requests_in_flight 1');
    release();
    await (await slow).text();
    expect(await scrape(served.url)).toContain('koa_fleet_http_requests_in_flight 0');
  });

  it('adds up two middleware instances sharing one registry instead of colliding', async () => {
    const registry = new Registry();
    const first = health({ shutdownSignals: [], registry });
    const second = health({ shutdownSignals: [], registry });
    const app = new Koa()
      .use(first)
      .use(second)
      .use((ctx) => {
        ctx.body = 'ok';
      });
    served = await serve(app);
    await (await fetch(`${served.url}/x`)).text();
    expect(await scrape(served.url)).toContain(
      'koa_fleet_http_requests_total{method="GET",route="*",status="200"} 2',
    );
    first.close();
    second.close();
  });

  it('stays out of the way with metrics off', async () => {
    const url = await start({ metrics: false });
    // The app answers the path itself: the middleware did not take it.
    expect(await (await fetch(`${url}/metrics`)).json()).toEqual({ ok: true });
  });
});
