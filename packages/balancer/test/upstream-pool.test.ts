import { httpRequest } from '@koa-fleet/testkit';
import { describe, expect, it } from 'vitest';
import { useTestServers } from './support/test-servers.js';

const servers = useTestServers();

describe('upstream keep-alive pool', () => {
  it('reuses one connection to the backend for requests one after another', async () => {
    const backend = await servers.backend('a');
    const balancer = await servers.balancer({ backends: [backend.url] });
    let connections = 0;
    backend.server.on('connection', () => connections++);
    // Each client request on its own connection: the balancer's side still keeps one.
    for (let i = 0; i < 30; i++) expect((await httpRequest(balancer.url)).status).toBe(200);
    expect(connections).toBe(1);
  });

  it('opens at most keepAlive.connections connections; more requests wait for one', async () => {
    const held: (() => void)[] = [];
    const backend = await servers.backend('a', (_req, res) => {
      held.push(() => res.end('ok'));
      if (held.length === 4) held.splice(0).forEach((answer) => answer());
    });
    const balancer = await servers.balancer({
      backends: [backend.url],
      keepAlive: { connections: 4 },
    });
    let connections = 0;
    backend.server.on('connection', () => connections++);
    const replies = await Promise.all(Array.from({ length: 20 }, () => httpRequest(balancer.url)));
    expect(replies.every((reply) => reply.body === 'ok')).toBe(true);
    expect(connections).toBe(4);
  });
});
