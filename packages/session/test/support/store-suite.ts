import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Browser, data } from './browser.js';

/** Options the suite passes to the store factory and to `session()`, JSON so processes get them. */
export interface AppConfig {
  store?: Record<string, unknown>;
  session?: Record<string, unknown>;
}

export interface Servers {
  /** Base URLs of servers sharing one store; the suite spreads requests across them. */
  urls: string[];
  stop(): Promise<void>;
}

export interface SuiteBackend {
  start(config: AppConfig): Promise<Servers>;
  close?(): Promise<void>;
}

/**
 * The one conformance suite every store passes: single Redis, Redis Cluster, in-memory and the
 * embedded store across cluster workers. Behaviour only, all over real HTTP.
 */
export function describeStoreSuite(name: string, makeBackend: () => Promise<SuiteBackend>): void {
  describe(`${name} store`, () => {
    let backend: SuiteBackend;
    const running: Servers[] = [];
    const start = async (config: AppConfig = {}): Promise<Browser> => {
      const servers = await backend.start(config);
      running.push(servers);
      return new Browser(servers.urls);
    };

    beforeAll(async () => {
      backend = await makeBackend();
    });
    afterEach(async () => {
      await Promise.all(running.splice(0).map((servers) => servers.stop()));
    });
    afterAll(async () => {
      await backend?.close?.();
    });

    it('keeps a session across requests served by different servers, in a signed cookie', async () => {
      const browser = await start();
      const first = await browser.get('/set', { field: 'user', value: { name: 'ada' } });
      expect(first.status).toBe(200);
      const cookie = first.setCookies.find((line) => line.startsWith('kf.sid='));
      expect(cookie).toMatch(/httponly/i);
      expect(cookie).toMatch(/samesite=lax/i);
      expect(first.setCookies.some((line) => line.startsWith('kf.sid.sig='))).toBe(true);
      for (let i = 0; i < 4; i++) {
        const reply = await browser.get('/get');
        expect(reply.body.id).toBe(first.body.id);
        expect(data(reply)).toEqual({ user: { name: 'ada' } });
      }
    });

    it('keeps every field when 200 concurrent requests change disjoint fields', async () => {
      const browser = await start();
      await browser.get('/set', { field: 'seed', value: 0 });
      const replies = await Promise.all(
        Array.from({ length: 200 }, (_, i) => browser.get('/set', { field: `f${i}`, value: i })),
      );
      expect(replies.every((reply) => reply.status === 200)).toBe(true);
      const stored = data(await browser.get('/get'));
      expect(Object.keys(stored)).toHaveLength(201);
      for (let i = 0; i < 200; i++) expect(stored[`f${i}`]).toBe(i);
    });

    it('counts 1,000 concurrent incr() calls exactly', async () => {
      const browser = await start();
      await browser.get('/set', { field: 'seed', value: 0 });
      const replies = await Promise.all(
        Array.from({ length: 1000 }, () => browser.get('/incr', { field: 'n' })),
      );
      expect(replies.every((reply) => reply.status === 200)).toBe(true);
      const values = replies.map((reply) => reply.body.value as number).sort((a, b) => a - b);
      expect(values).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
      expect(data(await browser.get('/get')).n).toBe(1000);
    });

    it('appends and adds to sets exactly under concurrency', async () => {
      const browser = await start();
      await browser.get('/set', { field: 'seed', value: 0 });
      await Promise.all([
        ...Array.from({ length: 100 }, (_, i) =>
          browser.get('/append', { field: 'log', value: { i } }),
        ),
        ...Array.from({ length: 100 }, (_, i) =>
          browser.get('/add', { field: 'tags', value: `t${i % 5}` }),
        ),
      ]);
      const stored = data(await browser.get('/get'));
      expect((stored.log as Array<{ i: number }>).map((e) => e.i).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 100 }, (_, i) => i),
      );
      expect([...(stored.tags as string[])].sort()).toEqual(['t0', 't1', 't2', 't3', 't4']);
    });

    it('incr() creates the field on a new session and refuses a non-integer field, leaving it intact', async () => {
      const browser = await start();
      expect((await browser.get('/incr', { field: 'n', value: 5 })).body.value).toBe(5);
      expect(data(await browser.get('/get')).n).toBe(5);
      await browser.get('/set', { field: 'word', value: 'abc' });
      expect((await browser.get('/incr', { field: 'word' })).status).toBe(500);
      expect(data(await browser.get('/get')).word).toBe('abc');
    });

    /** Starts a request that reads the session now and writes `field=value` when released. */
    // The gate lives in one server's memory, so all three requests go to server 0.
    const held = async (browser: Browser, gate: string, field: string, value: unknown) => {
      const reply = browser.get('/held-set', { gate, field, value }, 0);
      // An answer before the gate was reached (the store failed the read) would leave
      // /held-reached waiting for ever: it fails the test at once instead, saying why.
      const early = await Promise.race([
        browser.get('/held-reached', { gate }, 0).then(() => undefined),
        reply,
      ]);
      if (early) {
        throw new Error(
          `/held-set answered ${early.status} before its gate: ${JSON.stringify(early.body)}`,
        );
      }
      return { release: () => browser.get('/release', { gate }, 0).then(() => reply) };
    };

    it('never writes a field a request did not change, nor deletes one it did not read', async () => {
      const browser = await start({ session: {} });
      await browser.get('/set', { field: 'a', value: 1 });
      const slow = await held(browser, 'g1', 'x', 'slow');
      await browser.get('/set', { field: 'b', value: 2 });
      await browser.get('/del', { field: 'a' });
      expect((await slow.release()).status).toBe(200);
      expect(data(await browser.get('/get'))).toEqual({ b: 2, x: 'slow' });
    });

    it('lets the last writer win a same-field conflict by default, nested objects as whole fields', async () => {
      const browser = await start();
      await browser.get('/set', { field: 'prefs', value: { theme: 'dark', lang: 'en' } });
      const slow = await held(browser, 'g2', 'prefs', { theme: 'light', lang: 'en' });
      await browser.get('/set', { field: 'prefs', value: { theme: 'dark', lang: 'fr' } });
      await slow.release();
      expect(data(await browser.get('/get')).prefs).toEqual({ theme: 'light', lang: 'en' });
    });

    it('answers 409 to the later same-field write in compare-and-set mode, merging other fields', async () => {
      const browser = await start({ store: { conflicts: 'compare-and-set' } });
      await browser.get('/set', { field: 'n', value: 1 });
      const conflicting = await held(browser, 'g3', 'n', 2);
      await browser.get('/set', { field: 'n', value: 10 });
      const reply = await conflicting.release();
      expect(reply.status).toBe(409);
      expect(reply.body).toEqual({
        error: { code: 'KF_SESSION_CONFLICT', message: expect.stringContaining('n') },
      });
      const disjoint = await held(browser, 'g4', 'other', true);
      await browser.get('/set', { field: 'n', value: 11 });
      expect((await disjoint.release()).status).toBe(200);
      expect(data(await browser.get('/get'))).toEqual({ n: 11, other: true });
    });

    it('does not resurrect a session destroyed while a slower request was in flight', async () => {
      const browser = await start();
      const before = await browser.get('/set', { field: 'user', value: 'ada' });
      const stale = browser.clone();
      const slow = await held(stale, 'g5', 'cart', [1]);
      expect((await browser.get('/logout')).status).toBe(200);
      await slow.release();
      // The stale tab still names the destroyed id: it must find nothing under it.
      const reply = await stale.get('/get');
      expect(reply.body.id).not.toBe(before.body.id);
      expect(data(reply)).toEqual({});
    });

    it('regenerate() keeps the data under a new id and retires the old one', async () => {
      const browser = await start();
      await browser.get('/set', { field: 'user', value: 'ada' });
      const oldId = browser.cookies.get('kf.sid');
      const stale = browser.clone();
      expect((await browser.get('/regenerate', { incr: 'logins' })).status).toBe(200);
      expect(browser.cookies.get('kf.sid')).not.toBe(oldId);
      expect(data(await browser.get('/get'))).toEqual({ user: 'ada', logins: 1 });
      const old = await stale.get('/get');
      expect(old.body.id).not.toBe(oldId);
      expect(data(old)).toEqual({});
    });

    it('starts a new session for a tampered, malformed or unknown cookie, never a 500', async () => {
      const browser = await start();
      const real = await browser.get('/set', { field: 'user', value: 'ada' });
      const tampered = browser.clone();
      const realId = String(real.body.id);
      // A different last character: same shape, wrong signature.
      tampered.cookies.set('kf.sid', `${realId.slice(0, -1)}${realId.endsWith('A') ? 'B' : 'A'}`);
      const unsigned = await start({ session: { signed: false } });
      const cases = [tampered, unsigned, unsigned, unsigned];
      const cookies = [undefined, '{evil}', 'x'.repeat(5000), 'AAAAAAAAAAAAAAAAAAAAAAAA'];
      for (const [i, client] of cases.entries()) {
        if (cookies[i] !== undefined) client.cookies.set('kf.sid', cookies[i]!);
        const reply = await client.get('/get');
        expect(reply.status).toBe(200);
        expect(reply.body.id).not.toBe(real.body.id);
        expect(data(reply)).toEqual({});
      }
    });

    it('rejects a session over maxBytes with 413 and keeps the stored one', async () => {
      const browser = await start({ store: { maxBytes: '1kb' } });
      await browser.get('/set', { field: 'a', value: 1 });
      const reply = await browser.get('/set', { field: 'big', value: 'x'.repeat(2000) });
      expect(reply.status).toBe(413);
      expect((reply.body.error as { code: string }).code).toBe('KF_SESSION_TOO_LARGE');
      expect(data(await browser.get('/get'))).toEqual({ a: 1 });
    });

    it('rolling extends the expiry without rewriting the data', async () => {
      const browser = await start({ session: { rolling: true } });
      await browser.get('/set', { field: 'a', value: 1 });
      const first = await browser.get('/get');
      await clockPast(Number(first.body.expire) - 86_400_000 + 5);
      const touch = await held(browser, 'g6', 'unused', undefined);
      await browser.get('/set', { field: 'a', value: 2 });
      // The held request changed nothing, so its rolling save must not put a=1 back.
      expect((await touch.release()).status).toBe(200);
      const after = await browser.get('/get');
      expect(data(after)).toEqual({ a: 2 });
      expect(Number(after.body.expire)).toBeGreaterThan(Number(first.body.expire));
    });

    it('renew extends a session once more than half of its life has passed', async () => {
      const maxAge = 4000;
      const browser = await start({ session: { renew: true, maxAge } });
      await browser.get('/set', { field: 'a', value: 1 });
      const expire = Number((await browser.get('/get')).body.expire);
      await clockPast(expire - maxAge / 2 + 50);
      await browser.get('/touch');
      const renewed = await browser.get('/get');
      expect(Number(renewed.body.expire)).toBeGreaterThan(expire);
      expect(data(renewed)).toEqual({ a: 1 });
    });

    it('serves nothing once maxAge has passed', async () => {
      const browser = await start({ session: { maxAge: 1500 } });
      await browser.get('/set', { field: 'a', value: 1 });
      const expire = Number((await browser.get('/get')).body.expire);
      expect(expire).toBeGreaterThan(0);
      await clockPast(expire + 1);
      expect(data(await browser.get('/get'))).toEqual({});
    });

    it("supports maxAge: 'session' with a browser-session cookie", async () => {
      const browser = await start({ session: { maxAge: 'session' } });
      const first = await browser.get('/set', { field: 'a', value: 1 });
      const cookie = first.setCookies.find((line) => line.startsWith('kf.sid='));
      expect(cookie).not.toMatch(/expires=/i);
      expect(data(await browser.get('/get'))).toEqual({ a: 1 });
    });

    it('sets no cookie on requests that never use the session', async () => {
      const browser = await start();
      const reply = await browser.get('/ping');
      expect(reply.status).toBe(200);
      expect(reply.setCookies).toEqual([]);
    });
  });
}

/** Resolves once the wall clock is past `time` (ms since epoch): koa-session expiry is clock-based. */
export async function clockPast(time: number): Promise<void> {
  while (Date.now() <= time) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(100, time - Date.now() + 1)));
  }
}
