import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createSession } from 'koa-session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStore } from '../dist/index.js';
import { Browser } from './support/browser.js';

// The store is a plain koa-session `store`: no session() helper, koa-session's own defaults.
describe('used directly as koa-session’s store', () => {
  let server: ReturnType<Koa['listen']>;
  let browser: Browser;

  beforeAll(async () => {
    const app = new Koa();
    app.keys = ['k'];
    app.use(createSession(app, { store: memoryStore(), maxAge: 60_000 }));
    app.use(async (ctx) => {
      const field = String(ctx.query.field ?? '');
      if (field) ctx.session![field] = Number(ctx.query.value);
      ctx.body = ctx.session!.toJSON();
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    browser = new Browser([`http://127.0.0.1:${(server.address() as AddressInfo).port}`]);
  });
  afterAll(() => {
    server?.closeAllConnections();
    server?.close();
  });

  it('keeps the session under koa-session’s own cookie and merges concurrent field writes', async () => {
    await browser.get('/', { field: 'seed', value: 0 });
    expect(browser.cookies.has('koa.sess')).toBe(true);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => browser.get('/', { field: `f${i}`, value: i })),
    );
    const body = (await browser.get('/')).body;
    expect(Object.keys(body)).toHaveLength(51);
  });
});
