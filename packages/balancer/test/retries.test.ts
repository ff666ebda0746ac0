import { fileURLToPath } from 'node:url';
import { freePort, httpRequest, runLoad, spawnNode, stopAll } from '@koa-fleet/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProxyErrorEvent } from '@koa-fleet/balancer';
import { keepAliveAgent, useTestServers, type BackendHandler } from './support/test-servers.js';

const servers = useTestServers();
const agent = keepAliveAgent();
const fixture = fileURLToPath(new URL('./fixtures/backend.mjs', import.meta.url));

/** A backend that cuts the connection instead of answering, as one that crashed. */
const resets: BackendHandler = (req) => req.socket.destroy();
const answers503: BackendHandler = (_req, res, _seen, backend) => {
  res.statusCode = 503;
  res.end(JSON.stringify({ backend: backend.name }));
};

function recordErrors(balancer: {
  on(event: 'proxy-error', f: (e: ProxyErrorEvent) => void): void;
}) {
  const errors: string[] = [];
  balancer.on('proxy-error', ({ error, retried }) =>
    errors.push(`${error.code}${retried ? ' retried' : ''}`),
  );
  return errors;
}

describe('retries (nginx proxy_next_upstream)', () => {
  afterAll(stopAll);

  it('retries a refused connection on the next backend, for a POST too', async () => {
    const [gone, b] = await Promise.all([servers.backend('gone'), servers.backend('b')]);
    await gone.close();
    const balancer = await servers.balancer({ backends: [gone.url, b.url] });
    const reply = await httpRequest(balancer.url, { method: 'POST', body: 'order=1' });
    expect(reply.status).toBe(200);
    expect(reply.json()).toMatchObject({ backend: 'b', body: 'order=1' });
  });

  it('retries a GET whose connection was reset after it was sent', async () => {
    const [a, b] = await Promise.all([servers.backend('a', resets), servers.backend('b')]);
    const balancer = await servers.balancer({ backends: [a.url, b.url] });
    const errors = recordErrors(balancer);
    expect((await httpRequest(balancer.url)).json()).toMatchObject({ backend: 'b' });
    expect(a.seen).toHaveLength(1);
    expect(errors).toEqual(['KF_BALANCER_UPSTREAM_RESET retried']);
  });

  it('answers 502 to a POST whose backend failed after it was sent, and never replays it', async () => {
    const [a, b] = await Promise.all([servers.backend('a', resets), servers.backend('b')]);
    const balancer = await servers.balancer({ backends: [a.url, b.url] });
    const reply = await httpRequest(balancer.url, { method: 'POST', body: 'pay=10' });
    expect(reply.status).toBe(502);
    expect(a.seen.map((seen) => seen.body)).toEqual(['pay=10']);
    expect(b.seen).toEqual([]);
  });

  it('replays a POST after a failure once nextUpstream lists non_idempotent', async () => {
    const [a, b] = await Promise.all([servers.backend('a', resets), servers.backend('b')]);
    const balancer = await servers.balancer({
      backends: [a.url, b.url],
      nextUpstream: ['error', 'timeout', 'non_idempotent'],
    });
    const reply = await httpRequest(balancer.url, { method: 'POST', body: 'pay=10' });
    expect(reply.json()).toMatchObject({ backend: 'b', body: 'pay=10' });
  });

  it('passes a 503 on as it is, unless nextUpstream lists http_503', async () => {
    const [a, b] = await Promise.all([servers.backend('a', answers503), servers.backend('b')]);
    const plain = await servers.balancer({ backends: [a.url, b.url] });
    const reply = await httpRequest(plain.url);
    expect(reply.status).toBe(503);
    expect(reply.json()).toMatchObject({ backend: 'a' });

    const retrying = await servers.balancer({
      backends: [a.url, b.url],
      nextUpstream: ['error', 'timeout', 'http_503'],
    });
    const errors = recordErrors(retrying);
    expect((await httpRequest(retrying.url)).json()).toMatchObject({ backend: 'b' });
    expect(errors).toEqual(['KF_BALANCER_UPSTREAM_STATUS retried']);
  });

  it("forwards the last backend's own 503 when every backend answered 503", async () => {
    const [a, b] = await Promise.all([
      servers.backend('a', answers503),
      servers.backend('b', answers503),
    ]);
    const balancer = await servers.balancer({
      backends: [a.url, b.url],
      nextUpstream: ['error', 'http_503'],
    });
    const reply = await httpRequest(balancer.url);
    expect(reply.status).toBe(503);
    expect(reply.json()).toMatchObject({ backend: 'b' });
  });

  it('makes at most `tries` tries', async () => {
    const all = await Promise.all(['a', 'b', 'c'].map((name) => servers.backend(name, resets)));
    const balancer = await servers.balancer({ backends: all.map((b) => b.url), tries: 2 });
    expect((await httpRequest(balancer.url)).status).toBe(502);
    expect(all.map((backend) => backend.seen.length).sort()).toEqual([0, 1, 1]);
  });

  it('makes no new try once nextUpstreamTimeout has passed', async () => {
    const slowReset: BackendHandler = (req) => setTimeout(() => req.socket.destroy(), 100);
    const [a, b] = await Promise.all([servers.backend('a', slowReset), servers.backend('b')]);
    const balancer = await servers.balancer({
      backends: [a.url, b.url],
      nextUpstreamTimeout: 20,
    });
    expect((await httpRequest(balancer.url)).status).toBe(502);
    expect(b.seen).toEqual([]);
  });

  it('streams a body over retryBodyLimit and then does not retry it', async () => {
    const [a, b] = await Promise.all([servers.backend('a', resets), servers.backend('b')]);
    const balancer = await servers.balancer({
      // a stays first in line: never taken out, and far heavier.
      backends: [
        { url: a.url, weight: 100, maxFails: 0 },
        { url: b.url, weight: 1 },
      ],
      retryBodyLimit: '1kb',
    });
    const small = await httpRequest(balancer.url, { method: 'PUT', body: 'x'.repeat(1_000) });
    expect(small.json()).toMatchObject({ backend: 'b', body: 'x'.repeat(1_000) });
    const large = await httpRequest(balancer.url, { method: 'PUT', body: 'x'.repeat(5_000) });
    expect(large.status).toBe(502);
    expect(a.seen.map((seen) => seen.body.length)).toEqual([1_000, 5_000]);
    expect(b.seen).toHaveLength(1);
  });

  it('retries a request on a keep-alive socket the backend had closed, on a fresh one, unreported', async () => {
    // Each connection's second request finds it closed, as when the backend's keep-alive
    // timeout fires just as the balancer reuses the socket.
    const closesReused = (): BackendHandler => (req, res, _seen, backend) => {
      const socket = req.socket as typeof req.socket & { served?: number };
      socket.served = (socket.served ?? 0) + 1;
      if (socket.served > 1) return socket.destroy();
      res.end(JSON.stringify({ backend: backend.name }));
    };
    const lone = await servers.backend('lone', closesReused());
    const balancer = await servers.balancer({ backends: [lone.url] });
    const errors = recordErrors(balancer);
    for (let i = 0; i < 4; i++) {
      expect((await httpRequest(balancer.url, { agent })).json()).toMatchObject({
        backend: 'lone',
      });
    }
    expect(errors).toEqual([]);
    expect(balancer.backends[0]!.state).toBe('up');
  });

  it('fails no GET of a keep-alive load while a backend is killed with SIGKILL', async () => {
    const ports = [await freePort(), await freePort()];
    const backends = await Promise.all(
      ports.map((port, i) =>
        spawnNode(fixture, { args: [String(port), `b${i}`], readyLine: /listening/ }),
      ),
    );
    const balancer = await servers.balancer({
      backends: ports.map((port) => `http://127.0.0.1:${port}`),
    });
    const load = runLoad({ url: balancer.url, connections: 16, duration: 3 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    backends[0]!.kill('SIGKILL');
    const result = await load;
    expect(result.requests).toBeGreaterThan(100);
    expect({ errors: result.errors, non2xx: result.non2xx, resets: result.resets }).toEqual({
      errors: 0,
      non2xx: 0,
      resets: 0,
    });
    expect(balancer.backends[0]!.state).toBe('down');
  });

  it('answers 502 to a POST whose backend process died after receiving it; the POST ran once', async () => {
    const ports = [await freePort(), await freePort()];
    const [dying, other] = await Promise.all(
      ports.map((port, i) =>
        spawnNode(fixture, { args: [String(port), `b${i}`], readyLine: /listening/ }),
      ),
    );
    const balancer = await servers.balancer({
      backends: ports.map((port) => `http://127.0.0.1:${port}`),
    });
    // Round robin: the first request goes to the first backend.
    const reply = await httpRequest(`${balancer.url}/die`, { method: 'POST', body: 'pay=10' });
    expect(reply.status).toBe(502);
    await dying!.waitForExit();
    expect(dying!.stdout().match(/got POST/g)).toEqual(['got POST']);
    expect(other!.stdout()).not.toMatch(/POST/);
  });
});
