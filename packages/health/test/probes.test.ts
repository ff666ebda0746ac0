import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import {
  defineCheck,
  health,
  HEALTH_JSON,
  type HealthMiddleware,
  type HealthOptions,
} from '../src/index.js';
import { ManualLifecycle } from './support/manual-lifecycle.js';
import { getJson, serve, type Served } from './support/serve.js';

let served: Served | undefined;
let middleware: HealthMiddleware | undefined;

afterEach(async () => {
  middleware?.close();
  await served?.close();
  served = middleware = undefined;
});

async function start(options: HealthOptions): Promise<string> {
  const app = new Koa();
  middleware = health({ shutdownSignals: [], ...options });
  app.use(middleware);
  app.use((ctx) => {
    ctx.body = { hello: 'world' };
  });
  served = await serve(app);
  return served.url;
}

describe('probes in a plain Koa app', () => {
  it('answers /livez, /readyz and /healthz with health+json and passes the app through', async () => {
    const url = await start({});
    for (const path of ['/livez', '/readyz', '/healthz']) {
      const { status, type, body } = await getJson(url + path);
      expect(status).toBe(200);
      expect(type).toContain(HEALTH_JSON);
      expect(body.status).toBe('pass');
    }
    expect((await getJson(`${url}/`)).body).toEqual({ hello: 'world' });
    expect((await getJson(`${url}/readyz?verbose=1`)).body.status).toBe('pass');
    // Only GET and HEAD are probes; anything else is the app's business.
    expect(await (await fetch(`${url}/readyz`, { method: 'POST' })).json()).toEqual({
      hello: 'world',
    });
  });

  it('serves the probes on configured paths', async () => {
    const url = await start({ paths: { live: '/alive', ready: '/ready', health: false } });
    expect((await fetch(`${url}/alive`)).status).toBe(200);
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    expect((await getJson(`${url}/healthz`)).body).toEqual({ hello: 'world' });
  });

  it('says 503 on /readyz while starting, until marked ready', async () => {
    const url = await start({ startReady: false });
    const starting = await getJson(`${url}/readyz`);
    expect(starting.status).toBe(503);
    expect(starting.body).toMatchObject({ status: 'fail', output: 'starting' });
    expect((await fetch(`${url}/livez`)).status).toBe(200);
    middleware!.probe.markReady();
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it("flips /readyz to 503 while the supervisor's lifecycle drains, and back once ready again", async () => {
    const lifecycle = new ManualLifecycle('starting');
    const url = await start({ lifecycle });
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    lifecycle.set('ready');
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    lifecycle.set('draining');
    const draining = await getJson(`${url}/readyz`);
    expect(draining.status).toBe(503);
    expect(draining.body.output).toBe('draining');
    // Draining is healthy behaviour: liveness stays green so the orchestrator does not kill it.
    expect((await fetch(`${url}/livez`)).status).toBe(200);
    const healthz = await getJson(`${url}/healthz`);
    expect(healthz).toMatchObject({ status: 200, body: { status: 'warn', output: 'draining' } });
    lifecycle.set('ready');
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('turns /readyz and /healthz red when a critical check fails, and only warns for a non-critical one', async () => {
    let databaseUp = true;
    const url = await start({
      checks: [
        defineCheck(
          'database',
          () => {
            if (!databaseUp) throw new Error('connection refused');
            return { observedValue: 2, observedUnit: 'ms' };
          },
          { componentType: 'datastore', interval: 0 },
        ),
        defineCheck('cache', () => Promise.reject(new Error('cache unreachable')), {
          critical: false,
        }),
      ],
    });
    const warm = await getJson(`${url}/healthz`);
    expect(warm.status).toBe(200);
    expect(warm.body.status).toBe('warn');
    expect(warm.body.checks?.database?.[0]).toMatchObject({
      status: 'pass',
      componentType: 'datastore',
      observedValue: 2,
      observedUnit: 'ms',
    });
    expect(warm.body.checks?.cache?.[0]).toMatchObject({
      status: 'warn',
      output: 'cache unreachable',
    });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    databaseUp = false;
    const red = await getJson(`${url}/readyz`);
    expect(red.status).toBe(503);
    expect(red.body.checks?.database?.[0]).toMatchObject({
      status: 'fail',
      output: 'connection refused',
    });
    expect((await getJson(`${url}/healthz`)).status).toBe(503);
  });

  it('answers the probe with a timeout failure when a check hangs', async () => {
    const url = await start({
      checks: [defineCheck('hangs', () => new Promise(() => {}), { timeout: 200 })],
    });
    const { status, body } = await getJson(`${url}/readyz`);
    expect(status).toBe(503);
    expect(body.checks?.hangs?.[0]).toMatchObject({
      status: 'fail',
      output: 'check "hangs" did not answer within 200 ms',
    });
    // The process still serves.
    expect((await fetch(`${url}/livez`)).status).toBe(200);
  });

  it('accepts any object of the structural HealthCheck shape', async () => {
    const url = await start({
      checks: [
        {
          name: 'session:redis',
          componentType: 'datastore',
          check: async () => ({ output: 'fine' }),
        },
      ],
    });
    const { body } = await getJson(`${url}/healthz`);
    expect(body.checks?.['session:redis']?.[0]).toMatchObject({ status: 'pass', output: 'fine' });
  });
});
