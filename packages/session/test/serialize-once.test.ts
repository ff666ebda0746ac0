import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import { createSession } from 'koa-session';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryStore, session, type Session } from '../dist/index.js';
import { Browser } from './support/browser.js';

const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

// Every serialization of a field's value, wherever it happens (the store's JSON serializer,
// or anything else in the request that takes the value to text), counted per field.
const counts = new Map<string, number>();
beforeEach(() => {
  const stringify = JSON.stringify.bind(JSON);
  vi.spyOn(JSON, 'stringify').mockImplementation((...args: Parameters<typeof JSON.stringify>) => {
    const probe = (args[0] as { probe?: unknown } | null)?.probe;
    if (typeof probe === 'string') counts.set(probe, (counts.get(probe) ?? 0) + 1);
    return stringify(...args);
  });
});
afterEach(() => vi.restoreAllMocks());

/** Serializations per field during one request. */
async function countDuring(run: () => Promise<unknown>): Promise<Record<string, number>> {
  counts.clear();
  await run();
  return Object.fromEntries(counts);
}

/** `/seed` stores two fields, `/change` replaces one, `/read` reads both. */
async function serve(install: (app: Koa) => Koa.Middleware): Promise<Browser> {
  const app = new Koa();
  app.keys = ['k'];
  app.use(install(app));
  app.use((ctx) => {
    const current = ctx.session as Session;
    if (ctx.path === '/seed') Object.assign(current, { a: { probe: 'a' }, b: { probe: 'b' } });
    if (ctx.path === '/change') current.a = { probe: 'a', changed: true };
    ctx.body = { ok: current.a !== undefined && current.b !== undefined };
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  servers.push(server);
  return new Browser([`http://127.0.0.1:${(server.address() as AddressInfo).port}`]);
}

describe('serializing a session', () => {
  it('session() serializes each field once per request, changed or only read', async () => {
    const browser = await serve((app) => session(app, { store: memoryStore() }));
    await browser.get('/seed');
    expect(await countDuring(() => browser.get('/change'))).toEqual({ a: 1, b: 1 });
    expect(await countDuring(() => browser.get('/read'))).toEqual({ a: 1, b: 1 });
  });

  it('the store serializes each field once per save when koa-session drives it', async () => {
    const browser = await serve((app) => createSession(app, { store: memoryStore() }));
    await browser.get('/seed');
    expect(await countDuring(() => browser.get('/change'))).toEqual({ a: 1, b: 1 });
  });
});
