import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { requireNetns, spawnNode, stopAll, waitFor } from '@koa-fleet/testkit';
import { createHostNetwork, type HostNetwork } from './host-network.js';
import { ip } from './ip-command.js';
import { runPrefix } from './run-prefix.js';
import { removeStaleHostNetworks } from './stale-host-networks.js';

const tcpHello = fileURLToPath(new URL('../../fixtures/tcp-hello.mjs', import.meta.url));

/** What a connect to host:port gives within `waitMs`: the greeting, an error code, or 'pending'. */
function tryConnect(host: string, port: number, waitMs = 1_500): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const settle = (outcome: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => settle(socket.connecting ? 'pending' : 'connected, silent'),
      waitMs,
    );
    socket.setEncoding('utf8');
    socket.once('data', (text: string) => settle(text.trim()));
    socket.once('error', (error: NodeJS.ErrnoException) => settle(error.code ?? 'error'));
  });
}

const names = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => /^(?:\d+:\s+)?([^:@\s]+)/.exec(line)?.[1] ?? '')
    .filter(Boolean);

describe('createHostNetwork', () => {
  const networks: HostNetwork[] = [];
  afterAll(async () => {
    await stopAll();
    for (const network of networks) network.remove();
  });

  it('makes hosts that reach each other and the bridge only, and a link down makes connects hang', async (ctx) => {
    requireNetns(ctx);
    const network = createHostNetwork({ hosts: 2 });
    networks.push(network);
    const [a, b] = network.hosts as [HostNetwork['hosts'][0], HostNetwork['hosts'][0]];
    expect(a.address).toBe(network.gateway.replace(/\.1$/, '.10'));
    expect(b.address).toBe(network.gateway.replace(/\.1$/, '.11'));
    for (const host of network.hosts) {
      // lo and eth0 alone, and only the /24 to go to: nothing is routed beyond it.
      expect(ip(['-n', host.netns, '-4', '-o', 'addr', 'show']).match(/inet \S+/g)).toEqual([
        'inet 127.0.0.1/8',
        `inet ${host.address}/24`,
      ]);
      expect(ip(['-n', host.netns, '-4', 'route', 'show']).trim()).toBe(
        `${network.subnet} dev eth0 proto kernel scope link src ${host.address}`,
      );
    }

    const server = await spawnNode(tcpHello, {
      netns: a.netns,
      env: { KF_CHAOS_HOST: 'a', PORT: '0' },
      readyLine: /listening on (\d+)/,
    });
    const port = Number(((await server.waitForLine(/listening on (\d+)/)) as RegExpMatchArray)[1]);
    expect(await tryConnect(a.address, port)).toBe('hello from a');
    // From inside host b too, across the bridge.
    const fromB = await spawnNode(tcpHello, {
      netns: b.netns,
      env: { CONNECT: `${a.address}:${port}` },
      readyLine: /got: hello from a/,
    });
    expect(await fromB.waitForExit()).toEqual({ code: 0, signal: null });
    // Nothing of host a is on this machine's loopback.
    expect(await tryConnect('127.0.0.1', port)).toBe('ECONNREFUSED');

    a.linkDown();
    expect(a.linked).toBe(false);
    // Neither answered nor refused: a lost host.
    expect(await tryConnect(a.address, port)).toBe('pending');
    a.linkUp();
    await waitFor(
      'host a to answer again',
      async () => (await tryConnect(a.address, port)) === 'hello from a',
    );
    await server.stop();
  });

  it('removes what a killed run left behind, and only that', async (ctx) => {
    requireNetns(ctx);
    const network = createHostNetwork({ hosts: 1 });
    networks.push(network);
    // A pid that was alive a moment ago and is not any more: a killed run's.
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.once('exit', resolve));
    const stale = runPrefix(gone.pid!);
    ip(['netns', 'add', `${stale}a`]);
    ip(['link', 'add', `${stale}br`, 'type', 'bridge']);

    expect(removeStaleHostNetworks().sort()).toEqual([`${stale}a`, `${stale}br`]);
    expect(names(ip(['netns', 'list']))).toContain(network.hosts[0]!.netns);
    expect(names(ip(['netns', 'list']))).not.toContain(`${stale}a`);
    expect(names(ip(['-o', 'link', 'show']))).not.toContain(`${stale}br`);
    expect(names(ip(['-o', 'link', 'show']))).toContain(network.bridge);
  });

  it('removes its namespaces, links and bridge', (ctx) => {
    requireNetns(ctx);
    const network = createHostNetwork({ hosts: 2 });
    network.remove();
    network.remove();
    const all = [...names(ip(['netns', 'list'])), ...names(ip(['-o', 'link', 'show']))];
    expect(all.filter((name) => name.startsWith(network.prefix))).toEqual([]);
  });
});
