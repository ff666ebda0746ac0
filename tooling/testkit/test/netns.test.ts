import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipBinary, netnsAvailable, requireNetns, spawnNode, stopAll } from '../src/index.js';
import { fixture } from './fixtures.js';

interface NetworkView {
  pid: number;
  interfaces: string[];
}

async function networkView(netns?: string) {
  const node = await spawnNode(fixture('network-view.mjs'), {
    readyLine: /network view (\{.*\})/,
    ...(netns !== undefined && { netns }),
  });
  const match = (await node.waitForLine(/network view (\{.*\})/)) as RegExpMatchArray;
  return { node, view: JSON.parse(match[1]!) as NetworkView };
}

describe('spawnNode({ netns })', () => {
  // A bare namespace of this test's own (only `lo`, up), removed afterwards.
  const netns = `kft${process.pid}-spawn`;
  beforeAll(() => {
    if (!netnsAvailable()) return;
    execFileSync(ipBinary(), ['netns', 'add', netns]);
    execFileSync(ipBinary(), ['-n', netns, 'link', 'set', 'lo', 'up']);
  });
  afterAll(async () => {
    await stopAll();
    if (netnsAvailable()) execFileSync(ipBinary(), ['netns', 'delete', netns]);
  });

  it('runs node inside the namespace as the same process: its pid, its signals', async (ctx) => {
    requireNetns(ctx);
    const outside = await networkView();
    const inside = await networkView(netns);
    // Outside, this machine's interfaces; inside, the namespace's loopback alone.
    expect(outside.view.interfaces).toContain('lo');
    expect(outside.view.interfaces.length).toBeGreaterThan(1);
    expect(inside.view.interfaces).toEqual(['lo']);
    // `ip netns exec` became node: pid and SIGTERM reach node itself.
    expect(inside.view.pid).toBe(inside.node.pid);
    await inside.node.stop();
    expect(await inside.node.waitForExit()).toEqual({ code: 0, signal: null });
    await outside.node.stop();
  });

  it('fails to start, with ip’s message, in a namespace that does not exist', async (ctx) => {
    requireNetns(ctx);
    await expect(
      spawnNode(fixture('network-view.mjs'), {
        netns: `kft${process.pid}-missing`,
        readyLine: 'network view',
      }),
    ).rejects.toMatchObject({
      code: 'KF_TESTKIT_STARTUP',
      message: expect.stringMatching(/Cannot open network namespace/),
    });
  });

  it('rejects a namespace name ip would not take, naming the option', async () => {
    await expect(spawnNode(fixture('network-view.mjs'), { netns: '../etc' })).rejects.toMatchObject(
      {
        code: 'KF_INVALID_OPTION',
        message: expect.stringContaining('"netns"'),
      },
    );
  });
});
