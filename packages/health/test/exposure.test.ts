import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { defineCheck, health, type HealthMiddleware, type HealthOptions } from '../src/index.js';
import { getJson, serve, type Served } from './support/serve.js';

/**
 * Tests only talk to 127.0.0.1, so a non-loopback caller is made through a trusted proxy's
 * header: with `trustProxy`, the client is the address the proxy appended to X-Forwarded-For.
 * The default (no `trustProxy`) must judge the socket and ignore that header entirely.
 */
let served: Served | undefined;
let middleware: HealthMiddleware | undefined;

afterEach(async () => {
  middleware?.close();
  await served?.close();
  served = middleware = undefined;
});

const failing = defineCheck('database', () =>
  Promise.reject(new Error('password rejected for user app')),
);
const PUBLIC_CALLER = { 'x-forwarded-for': '203.0.113.7' };

async function start(options: HealthOptions): Promise<string> {
  const app = new Koa();
  // Koa's own proxy mode is on to show it does not change our judgement (ctx.ip is not used).
  app.proxy = true;
  middleware = health({ shutdownSignals: [], checks: [failing], ...options });
  app.use(middleware);
  served = await serve(app);
  return served.url;
}

describe('who sees check details', () => {
  it('gives a non-loopback caller the status only', async () => {
    const url = await start({ trustProxy: true });
    for (const path of ['/readyz', '/healthz']) {
      const { status, body } = await getJson(url + path, PUBLIC_CALLER);
      expect(status).toBe(503);
      expect(body).toEqual({ status: 'fail' });
    }
  });

  it('shows details to a non-loopback caller with the bearer token', async () => {
    const url = await start({ trustProxy: true, token: 's3cret' });
    const wrong = await getJson(`${url}/healthz`, {
      ...PUBLIC_CALLER,
      authorization: 'Bearer guess',
    });
    expect(wrong.body).toEqual({ status: 'fail' });
    const right = await getJson(`${url}/healthz`, {
      ...PUBLIC_CALLER,
      authorization: 'Bearer s3cret',
    });
    expect(right.body.checks?.database?.[0]?.output).toBe('password rejected for user app');
  });

  it('judges the socket, not X-Forwarded-For, unless trustProxy is set', async () => {
    const url = await start({});
    // A loopback socket claiming to be a public client still counts as loopback…
    const { body } = await getJson(`${url}/healthz`, PUBLIC_CALLER);
    expect(body.checks?.database?.[0]?.output).toBe('password rejected for user app');
    middleware?.close();
    await served?.close();
    // …and, with trustProxy, a public client cannot claim loopback by writing the first hop itself
    // (the proxy appends the real client address after it).
    const trusting = await start({ trustProxy: true });
    const spoofed = await getJson(`${trusting}/healthz`, {
      'x-forwarded-for': '127.0.0.1, 203.0.113.7',
    });
    expect(spoofed.body).toEqual({ status: 'fail' });
  });

  it("hides details from everyone with 'never' and needs the token with 'token'", async () => {
    const never = await start({ exposeDetails: 'never', token: 'abc' });
    expect((await getJson(`${never}/healthz`, { authorization: 'Bearer abc' })).body).toEqual({
      status: 'fail',
    });
    middleware?.close();
    await served?.close();
    const tokenOnly = await start({ exposeDetails: 'token', token: 'abc' });
    expect((await getJson(`${tokenOnly}/healthz`)).body).toEqual({ status: 'fail' });
    const withToken = await getJson(`${tokenOnly}/healthz`, { authorization: 'Bearer abc' });
    expect(withToken.body.checks?.database).toBeDefined();
  });
});
