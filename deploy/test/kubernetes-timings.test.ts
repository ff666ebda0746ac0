import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineCheck, health } from '@koa-fleet/health';
import { parseBytes } from '@koa-fleet/errors';
import { fleetBin } from '@koa-fleet/chaos';
import {
  freePort,
  httpRequest,
  spawnNode,
  startRedisCluster,
  waitFor,
  type NodeProcess,
  type RedisClusterServer,
} from '@koa-fleet/testkit';
import { appDeployment } from './support/app-deployment.js';
import { deployPagePath } from './support/deploy-page.js';
import { writeExampleApp, type ExampleApp } from './support/example-app.js';
import { effectiveDuration, fleetCliDefaults, fleetStopBoundMs } from './support/fleet-defaults.js';
import { kubernetesDir, loadKustomization } from './support/kubernetes-manifests.js';

const deployment = appDeployment(loadKustomization(kubernetesDir));
const defaults = fleetCliDefaults();
const ms = (flag: string) => effectiveDuration(flag, deployment.env, defaults);

/** @koa-fleet/health's default checkTimeout, seen in the report of a check that never answers. */
async function healthCheckTimeoutMs(): Promise<number> {
  const app = new Koa().use(
    health({ checks: [defineCheck('never-answers', () => new Promise<never>(() => {}))] }),
  );
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const reply = await httpRequest(`http://127.0.0.1:${port}/healthz`);
    const match = /did not answer within (\d+) ms/.exec(reply.body);
    if (!match) throw new Error(`/healthz of a hanging check: ${reply.body}`);
    return Number(match[1]);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

const shutdownDelay = ms('shutdown-delay');
const grace = ms('grace');
/** When the primary SIGKILLs a worker still draining, after SIGTERM. */
const killAfter = fleetStopBoundMs(deployment.env, defaults);

describe('the Deployment’s timings agree with the packages’ defaults', () => {
  it('lets the fleet finish its drain before the kubelet’s SIGKILL', () => {
    console.log(
      `shutdownDelay ${shutdownDelay} ms + grace ${grace} ms + kill margin = ${killAfter} ms; ` +
        `terminationGracePeriodSeconds ${deployment.terminationGracePeriodSeconds} s`,
    );
    expect(deployment.terminationGracePeriodSeconds * 1000).toBeGreaterThan(killAfter);
    expect(ms('drain-window')).toBeLessThanOrEqual(grace);
  });

  it('keeps serving for as long as the readiness probe takes to see the 503', () => {
    const { periodSeconds, failureThreshold } = deployment.readiness;
    expect(shutdownDelay).toBeGreaterThan(0);
    expect(shutdownDelay).toBeGreaterThanOrEqual(periodSeconds * failureThreshold * 1000);
  });

  it('gives up on a Pod only after the fleet gave up on a worker (start, heartbeat)', () => {
    const { startup, liveness } = deployment;
    expect(startup.periodSeconds * startup.failureThreshold * 1000).toBeGreaterThanOrEqual(
      ms('start-timeout'),
    );
    expect(liveness.periodSeconds * liveness.failureThreshold * 1000).toBeGreaterThanOrEqual(
      ms('heartbeat-timeout'),
    );
  });

  it('waits for a probe longer than health’s own check timeout', async () => {
    const checkTimeout = await healthCheckTimeoutMs();
    console.log(`@koa-fleet/health checkTimeout: ${checkTimeout} ms`);
    expect(deployment.readiness.timeoutSeconds * 1000).toBeGreaterThan(checkTimeout);
    expect(deployment.liveness.timeoutSeconds * 1000).toBeGreaterThan(checkTimeout);
  });

  it('runs one worker per CPU of the limit, each under its share of the memory limit', () => {
    const raw = deployment.container.env?.find((variable) => variable.name === 'KOA_FLEET_WORKERS');
    expect(raw?.valueFrom?.resourceFieldRef).toMatchObject({
      containerName: 'app',
      resource: 'limits.cpu',
    });
    const workers = Number(deployment.env.get('KOA_FLEET_WORKERS'));
    expect(workers).toBe(Math.ceil(deployment.limits.cpu));
    const maxMemory = parseBytes(deployment.env.get('KOA_FLEET_MAX_MEMORY') ?? '');
    expect(maxMemory).toBeDefined();
    expect(workers * maxMemory!).toBeLessThan(deployment.limits.memoryBytes);
  });

  it('serves on the port the probes and the Service name', () => {
    const port = Number(deployment.env.get('KOA_FLEET_PORT') ?? defaults.get('port'));
    expect(deployment.httpPort).toBe(port);
    for (const probe of [deployment.startup, deployment.readiness, deployment.liveness]) {
      expect(probe.port).toBe(port);
    }
  });

  it('are the numbers docs/deploy.md states', () => {
    const page = readFileSync(deployPagePath, 'utf8');
    const section = page.slice(
      page.indexOf('## The timings that must agree'),
      page.indexOf('## systemd'),
    );
    expect(section).toContain(`\`shutdownDelay + grace + 3 s\` = ${killAfter / 1000} s`);
    expect(section).toContain(`| ${deployment.terminationGracePeriodSeconds} s `);
    expect(section).toContain(`${shutdownDelay / 1000} s (\`KOA_FLEET_SHUTDOWN_DELAY\`)`);
  });
});

describe('the page’s app, started with the Deployment’s environment (Redis Cluster sessions)', () => {
  let redis: RedisClusterServer;
  let app: ExampleApp;
  let fleet: NodeProcess;
  let url: string;

  beforeAll(async () => {
    redis = await startRedisCluster();
    app = writeExampleApp();
    const port = await freePort(); // the Pod's 3000 may be taken on a shared machine
    url = `http://127.0.0.1:${port}`;
    fleet = await spawnNode(fleetBin, {
      args: ['start', app.entry],
      env: {
        ...Object.fromEntries(deployment.env),
        KOA_FLEET_PORT: String(port),
        KOA_FLEET_HOST: '127.0.0.1',
        REDIS_URL: redis.nodes.map((node) => `redis://${node.host}:${node.port}`).join(','),
      },
      readyLine: /fleet ready/,
      timeout: 60_000,
    });
  });

  afterAll(async () => {
    await fleet?.stop();
    await redis?.stop();
    app?.remove();
  });

  it('answers the probes, then drains on SIGTERM as the timings say: readiness 503, still serving, exit 0', async () => {
    const { startup, readiness, liveness } = deployment;
    expect(fleet.output()).toMatch(
      new RegExp(
        `fleet ready: ${deployment.env.get('KOA_FLEET_WORKERS')}/${deployment.env.get('KOA_FLEET_WORKERS')} workers`,
      ),
    );
    // Ready once a worker reaches the Redis Cluster (the session check).
    await waitFor(
      'readiness 200',
      async () => (await httpRequest(url + readiness.path)).status === 200,
    );
    const before = {
      startup: (await httpRequest(url + startup.path)).status,
      liveness: (await httpRequest(url + liveness.path)).status,
      visits: (await httpRequest(`${url}/`)).json<{ visits: number }>().visits,
    };

    fleet.kill('SIGTERM'); // what the kubelet sends on Pod deletion
    await waitFor(
      'readiness 503',
      async () => (await httpRequest(url + readiness.path)).status === 503,
    );
    const during = await httpRequest(`${url}/`);
    const draining = {
      liveness: (await httpRequest(url + liveness.path)).status,
      app: during.status,
      drainHeader: during.headers['fleet-draining'],
    };
    const exit = await fleet.waitForExit({ timeout: killAfter + 10_000 });
    console.log(JSON.stringify({ before, draining, exit }));

    expect(before).toEqual({ startup: 200, liveness: 200, visits: 1 });
    expect(draining).toEqual({ liveness: 200, app: 200, drainHeader: '1' });
    expect(exit.code).toBe(0);
  });
});
