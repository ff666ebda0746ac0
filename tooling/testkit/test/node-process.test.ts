import { afterAll, describe, expect, it } from 'vitest';
import { spawnNode, stopAll } from '../src/index.js';
import { fixture, startCountingServer } from './fixtures.js';

describe('spawnNode', () => {
  afterAll(stopAll);

  it('resolves on the ready line and reports the exit code', async () => {
    const node = await spawnNode(fixture('exit-with.mjs'), {
      args: ['7'],
      readyLine: 'ready to exit',
    });
    expect(await node.waitForExit()).toEqual({ code: 7, signal: null });
    expect(node.stdout()).toContain('ready to exit');
    expect(node.stderr()).toContain('some diagnostics');
    // Output printed before the wait began is still found.
    expect(await node.waitForLine(/diag\w+/)).toEqual(expect.arrayContaining(['diagnostics']));
  });

  it('rejects with the output when the process exits before the ready line', async () => {
    await expect(
      spawnNode(fixture('exit-with.mjs'), { args: ['3'], readyLine: 'never printed' }),
    ).rejects.toThrow(/exited \(code 3\)[\s\S]*ready to exit/);
  });

  it('times out waiting for a line with the collected output in the error', async () => {
    const { node } = await startCountingServer();
    await expect(node.waitForLine('never printed', { timeout: 200 })).rejects.toThrow(
      /listening on/,
    );
  });

  it('stops a running server with SIGTERM', async () => {
    const { node, port } = await startCountingServer();
    expect((await fetch(`http://127.0.0.1:${port}`)).status).toBe(200);
    await node.stop();
    expect(await node.waitForExit()).toEqual({ code: 0, signal: null });
  });

  it('rejects an empty entry naming the option', async () => {
    await expect(spawnNode('')).rejects.toMatchObject({
      code: 'KF_INVALID_OPTION',
      message: expect.stringContaining('"entry"'),
    });
  });
});
