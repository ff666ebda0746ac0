import { afterAll, beforeAll, describe, it } from 'vitest';
import { httpRequest, spawnNode } from '@koa-fleet/testkit';
import { reportScenario } from '../src/results/record-scenario.js';
import { balancerBin } from '../src/system/bins.js';
import type { ChaosBalancer } from '../src/system/start-balancer.js';
import type { ChaosFleet } from '../src/system/start-fleet.js';
import { startSystem, type ChaosSystem } from '../src/system/start-system.js';

const TOKEN = 'chaos-suite-admin-token-0123456789';

describe('9. the admin API refuses without its token', () => {
  let system: ChaosSystem | undefined;
  let fleet: ChaosFleet;
  let balancer: ChaosBalancer;

  beforeAll(async () => {
    system = await startSystem({ balancer: { admin: { port: 0, token: TOKEN } } });
    ({ fleet, balancer } = system);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('answers 401 to no token and to a wrong one on every route, works with it, and will not listen off loopback without one', async () => {
    const admin = balancer.adminUrl!;
    const routes = ['/api/v1/backends', '/api/v1/fleets', '/api/v1/info', '/metrics'];
    const statusOf = async (path: string, token?: string, method = 'GET') =>
      (
        await httpRequest(`${admin}${path}`, {
          method,
          headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
        })
      ).status;

    let noToken = 0;
    let wrongToken = 0;
    let withToken = 0;
    for (const path of routes) {
      if ((await statusOf(path)) === 401) noToken += 1;
      if ((await statusOf(path, `${TOKEN.slice(0, -1)}x`)) === 401) wrongToken += 1;
      if ((await statusOf(path, TOKEN)) === 200) withToken += 1;
    }
    // A state change without the token must not happen either.
    const backend = encodeURIComponent(fleet.urls[0]!);
    const drainRefused =
      (await statusOf(`/api/v1/backends/${backend}/drain`, undefined, 'POST')) === 401 ? 1 : 0;

    // Off loopback without a token: the balancer does not start, and says which option.
    const refused = await spawnNode(balancerBin, {
      args: [
        '--backend',
        fleet.urls[0]!,
        '--port',
        '0',
        '--admin-port',
        '0',
        '--admin-host',
        '0.0.0.0',
      ],
    });
    const exit = await refused.waitForExit({ timeout: 30_000 });
    const offLoopbackRefused = exit.code === 2 && /--admin-token/.test(refused.output()) ? 1 : 0;

    reportScenario({
      order: 9,
      title: 'Admin API: no token, wrong token, off loopback, with the token',
      proves:
        'the admin API answers nothing but 401 without the right bearer token — state changes included — and a balancer whose admin listener is off loopback will not start without one',
      counts: {
        routes: routes.length,
        '401 without token': noToken,
        '401 wrong token': wrongToken,
        '200 with token': withToken,
        'drain refused': drainRefused,
        'off-loopback start refused': offLoopbackRefused,
      },
      expected: {
        '401 without token': routes.length,
        '401 wrong token': routes.length,
        '200 with token': routes.length,
        'drain refused': 1,
        'off-loopback start refused': 1,
      },
    });
  });
});
