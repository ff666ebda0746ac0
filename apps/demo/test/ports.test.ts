import { createServer, type Server } from 'node:net';
import { spawnNode, stopAll } from '@koa-fleet/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { demoArgs, demoMain, demoPorts, type DemoPorts } from './support/demo-process.js';

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** Runs the demo to its end; it must not get as far as starting anything. */
async function runDemo(args: string[]) {
  const demo = await spawnNode(demoMain, { args, env: { REDIS_URL: '' } });
  const exit = await demo.waitForExit({ timeout: 30_000 });
  return { exit, stderr: demo.stderr(), stdout: demo.stdout() };
}

describe('pnpm demo refuses what it cannot run, in one line', () => {
  let holder: Server | undefined;
  afterEach(() => holder?.close());
  afterAll(stopAll);

  const cases: Array<[string, (ports: DemoPorts) => number, string]> = [
    ["the balancer's", (ports) => ports.port, '--port'],
    ['the admin', (ports) => ports.adminPort, '--admin-port'],
    ["the first worker's", (ports) => ports.fleetPort, '--fleet-port'],
    ["the second worker's", (ports) => ports.fleetPort + 1, '--fleet-port'],
  ];
  for (const [which, portOf, flag] of cases) {
    it(`exits 2 naming the port and ${flag} when ${which} port is taken`, async () => {
      const ports = await demoPorts(2);
      const taken = portOf(ports);
      holder = await listenOn(taken);
      const { exit, stderr, stdout } = await runDemo(demoArgs(ports, 2));
      expect(exit).toEqual({ code: 2, signal: null });
      expect(stderr).toBe(
        `koa-fleet-demo: port ${taken} is taken (${flag}): pick another with ${flag} <port>\n`,
      );
      expect(stdout).toBe(''); // nothing started
    });
  }

  it('exits 2 naming the flag of a value that is not a port or a count', async () => {
    const ports = await demoPorts(2);
    const workers = await runDemo([...demoArgs(ports, 2), '--workers', 'lots']);
    expect(workers.exit.code).toBe(2);
    expect(workers.stderr).toBe(
      'koa-fleet-demo: --workers must be an integer from 1 to 64, got "lots"\n',
    );
    const port = await runDemo([...demoArgs(ports, 2), '--port', '70000']);
    expect(port.exit.code).toBe(2);
    expect(port.stderr).toBe(
      'koa-fleet-demo: --port must be an integer from 1 to 65535, got 70000\n',
    );
    const clash = await runDemo([...demoArgs(ports, 2), '--admin-port', String(ports.port)]);
    expect(clash.exit.code).toBe(2);
    expect(clash.stderr).toContain('--admin-port');
  });
});
