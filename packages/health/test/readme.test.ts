import {
  exampleFolder,
  freePort,
  httpRequest,
  mismatchWithSample,
  describePackageReadme,
  startRedis,
  waitFor,
  type ExampleFolder,
} from '@koa-fleet/testkit';
import { parse } from 'yaml';
import { beforeAll, expect, it } from 'vitest';

describePackageReadme(new URL('../README.md', import.meta.url), (readme) => {
  let folder: ExampleFolder;

  beforeAll(async () => {
    folder = await exampleFolder();
    await folder.sh(readme.block('install'));
  }, 300_000);

  it('serves the example and /healthz answers as the sample shows', async () => {
    const redis = await startRedis();
    const port = String(await freePort());
    const replace = { '3000': port };
    folder.write('server.mjs', readme.block('server'), {
      replace: { ...replace, 'redis://127.0.0.1:6379': redis.url },
    });
    await folder.start('node server.mjs', { readyLine: /listening on/ });
    // The server listens before ioredis has connected; the sample is its answer once it has
    // (until then /healthz says "fail", as it should).
    await waitFor('the Redis check passing', async () => {
      const reply = await httpRequest(`http://127.0.0.1:${port}/healthz`);
      return reply.status === 200;
    });
    const { stdout } = await folder.sh(readme.block('curl-healthz'), { replace });
    expect(mismatchWithSample(stdout, readme.block('healthz-output'))).toBeUndefined();
    expect(JSON.parse(stdout).checks['payments-api'][0]).toMatchObject({ output: 'reachable' });
  });

  it('runs the fleet example: any worker answers for the whole fleet', async () => {
    const fleetFolder = await exampleFolder();
    await fleetFolder.sh(readme.block('fleet-install'));
    const port = await freePort();
    fleetFolder.write('app.mjs', readme.block('fleet-app'));
    fleetFolder.write('primary.mjs', readme.block('fleet-primary'), {
      replace: { '3000': String(port) },
    });
    await fleetFolder.start('node primary.mjs', { readyLine: /fleet ready: 4\/4/ });
    const fleet = await httpRequest(`http://127.0.0.1:${port}/healthz/fleet`);
    expect(fleet.status).toBe(200);
    expect(fleet.json()).toMatchObject({ status: 'pass', output: '4 of 4 workers ready' });
    const metrics = await httpRequest(`http://127.0.0.1:${port}/metrics`);
    expect(metrics.body).toMatch(/koa_fleet_metrics_workers_answered 4/);
  });

  it('the check shape in the README is the exported HealthCheck type', async () => {
    await folder.sh('npm install typescript@~5.9.3 @types/koa @types/node');
    folder.write(
      'check-shape.ts',
      `${readme.block('check-shape')}
import type { HealthCheck as Exported } from '@koa-fleet/health';
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const same: Same<HealthCheck, Exported> = true;
`,
    );
    await folder.sh(
      'npx tsc --strict --noEmit --module nodenext --moduleResolution nodenext check-shape.ts',
    );
  });

  it('the Kubernetes probes point at the middleware and leave room for its timings', () => {
    const spec = parse(readme.block('kubernetes')) as {
      containers: Array<
        Record<string, { httpGet: { path: string; port: number }; timeoutSeconds?: number }>
      >;
      terminationGracePeriodSeconds: number;
    };
    const container = spec.containers[0]!;
    expect(container.readinessProbe!.httpGet).toEqual({ path: '/readyz', port: 3000 });
    expect(container.startupProbe!.httpGet).toEqual({ path: '/readyz', port: 3000 });
    expect(container.livenessProbe!.httpGet).toEqual({ path: '/livez', port: 3000 });
    // Above the default checkTimeout (800 ms) and the default shutdownDelay (5 s).
    expect(container.readinessProbe!.timeoutSeconds! * 1000).toBeGreaterThan(800);
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(5);
  });
});
