import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseDuration } from '@koa-fleet/errors';
import { balancerBin, fleetBin, portRange } from '@koa-fleet/chaos';
import {
  describeWithHaproxy,
  describeWithNginx,
  freePort,
  haproxyAvailable,
  httpRequest,
  mismatchWithSample,
  nginxAvailable,
  spawnNode,
  startHaproxy,
  startNginx,
  startRedis,
  waitFor,
  type NodeProcess,
  type RedisServer,
} from '@koa-fleet/testkit';
import { deployPageSection } from './support/deploy-page.js';
import { writeExampleApp, type ExampleApp } from './support/example-app.js';
import { flagValue, pageCommands, withFlag, type PageCommand } from './support/page-command.js';

const page = deployPageSection('Several hosts behind nginx or HAProxy');

/** One of the page's hosts, stood in for by a fleet on its own loopback port range. */
interface StandInHost {
  /** The page's address of the host: 10.0.0.1. */
  address: string;
  /** The page's port of worker 0 (3001); worker i's is this + i. */
  firstPort: number;
  /** The loopback ports its workers really listen on, worker 0 first. */
  ports: number[];
  fleet: NodeProcess;
}

/** What a request through the front answered, in the page's addresses. */
interface Answer {
  host: string;
  /** 10.0.0.1:3002 */
  backend: string;
  visits: number;
}

let redis: RedisServer;
let app: ExampleApp;
const hosts: StandInHost[] = [];

/** `127.0.0.1:<port>` of a stand-in → the page's `10.0.0.x:300y`. */
function pageAddressOf(port: number): string {
  const host = hosts.find((candidate) => candidate.ports.includes(port));
  if (!host) throw new Error(`port ${port} is no stand-in host's`);
  return `${host.address}:${host.firstPort + host.ports.indexOf(port)}`;
}

/** The page's `http://10.0.0.x:300y` backends → the stand-ins' loopback ports. */
function onLoopback(args: readonly string[], frontPort: number): string[] {
  const backends = args.map((arg) =>
    arg.replace(/^http:\/\/([\d.]+):(\d+)$/, (whole, address: string, port: string) => {
      const host = hosts.find((candidate) => candidate.address === address);
      const index = Number(port) - (host?.firstPort ?? 0);
      if (!host || host.ports[index] === undefined)
        throw new Error(`${whole} is no worker of the page's hosts`);
      return `http://127.0.0.1:${host.ports[index]}`;
    }),
  );
  return withFlag(backends, '--port', String(frontPort));
}

/** The page's `export … > file` then the engine started on that file: the export's output. */
function exportedConfig(block: string, frontPort: number): { config: string; run: PageCommand } {
  const [exporter, run, ...rest] = pageCommands(page.block(block));
  expect(rest).toEqual([]);
  expect([exporter!.program, exporter!.args[0], exporter!.stdoutTo]).toEqual([
    'koa-fleet-balancer',
    'export',
    expect.any(String),
  ]);
  expect(run!.args.join(' ')).toContain(exporter!.stdoutTo);
  const config = execFileSync(
    process.execPath,
    [balancerBin, ...onLoopback(exporter!.args, frontPort)],
    {
      encoding: 'utf8',
    },
  );
  return { config, run: run! };
}

/** Requests one client sends with a cookie jar, as the page's `curl -b jar -c jar` loop. */
async function requestsWithJar(
  url: string,
  count: number,
  jar = new Map<string, string>(),
): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < count; i++) {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const reply = await httpRequest(url, { headers: cookie ? { cookie } : {} });
    if (reply.status !== 200) throw new Error(`request ${i + 1}: ${reply.status} ${reply.body}`);
    for (const line of reply.setCookies) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      jar.set(name!.trim(), value.join('='));
    }
    const body = reply.json<{ host: string; port: number; visits: number }>();
    answers.push({ host: body.host, backend: pageAddressOf(body.port), visits: body.visits });
  }
  return answers;
}

/** How many answers each backend gave, by the page's address. */
function countByBackend(answers: readonly Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { backend } of answers) counts[backend] = (counts[backend] ?? 0) + 1;
  return counts;
}

const everyBackend = () =>
  hosts
    .flatMap((host) => host.ports.map((_, index) => `${host.address}:${host.firstPort + index}`))
    .sort();

beforeAll(async () => {
  redis = await startRedis();
  app = writeExampleApp();
  const fleetCommands = pageCommands(page.block('hosts-fleets'));
  expect(fleetCommands.map((command) => command.program)).toEqual(['koa-fleet', 'koa-fleet']);
  for (const command of fleetCommands) {
    const workers = Number(flagValue(command.args, '--workers'));
    const ports = await portRange(workers);
    let args = withFlag(command.args, '--host', '127.0.0.1');
    args = withFlag(args, '--port', String(ports[0]));
    args = args.map((arg) => (arg === './app.mjs' ? app.entry : arg));
    expect(command.env.REDIS_URL).toMatch(/^redis:\/\//); // the one Redis both hosts share
    const fleet = await spawnNode(fleetBin, {
      args,
      env: { REDIS_URL: redis.url, KOA_FLEET_LOG_FORMAT: 'json' },
      readyLine: /fleet ready/,
      timeout: 60_000,
    });
    hosts.push({
      address: flagValue(command.args, '--host'),
      firstPort: Number(flagValue(command.args, '--port')),
      ports,
      fleet,
    });
  }
  // Every worker ready (its session check reached Redis) before a front sends to it.
  for (const port of hosts.flatMap((host) => host.ports)) {
    await waitFor(
      `worker on ${port} ready`,
      async () => (await httpRequest(`http://127.0.0.1:${port}/readyz`)).status === 200,
    );
  }
});

afterAll(async () => {
  await Promise.all(hosts.map((host) => host.fleet.stop()));
  await redis?.stop();
  app?.remove();
  // Without nginx or HAProxy their suites are skipped (outside CI), and so are their blocks.
  if (nginxAvailable() && haproxyAvailable()) page.expectEveryBlockUsed();
});

describeWithNginx('two hosts behind nginx, its config exported by koa-fleet-balancer', () => {
  it('sends each request to the next worker of either host, the session following the client', async () => {
    const { config, run } = exportedConfig('hosts-nginx', await freePort());
    expect([run.program, run.args[0]]).toEqual(['nginx', '-c']);
    const nginx = await startNginx(config, { wholeFile: true });
    try {
      const loop =
        /for i in ([\d ]+); do curl -s -b jar -c jar http:\/\/127\.0\.0\.1:8080(\/\S*); echo; done/.exec(
          page.block('hosts-try'),
        );
      expect(loop).not.toBeNull();
      const jar = new Map<string, string>();
      const tried = await requestsWithJar(
        nginx.url + loop![2],
        loop![1]!.trim().split(/\s+/).length,
        jar,
      );
      // The page's output, in the page's addresses: the port a worker has on its host.
      const output = tried.map(({ host, backend, visits }) =>
        JSON.stringify({ host, port: Number(backend.split(':')[1]), visits }),
      );
      expect(mismatchWithSample(output.join('\n'), page.block('hosts-try-output'))).toBeUndefined();
      expect(tried.map((answer) => answer.backend.split(':')[0])).toEqual([
        hosts[0]!.address,
        hosts[0]!.address,
        hosts[1]!.address,
        hosts[1]!.address,
      ]);

      const more = await requestsWithJar(nginx.url + loop![2], 40, jar);
      const counts = countByBackend([...tried, ...more]);
      console.log(
        `through nginx: ${JSON.stringify(counts)}, visits ${tried[0]!.visits}…${more.at(-1)!.visits}`,
      );
      expect(Object.keys(counts).sort()).toEqual(everyBackend());
      expect([...tried, ...more].map((answer) => answer.visits)).toEqual(
        Array.from({ length: 44 }, (_, index) => index + 1),
      );
    } finally {
      await nginx.stop();
    }
  });
});

describeWithHaproxy('two hosts behind HAProxy, its config exported by koa-fleet-balancer', () => {
  it('checks every worker’s /readyz within the fleets’ shutdown delay, and reaches both hosts', async () => {
    const { config, run } = exportedConfig('hosts-haproxy', await freePort());
    expect([run.program, run.args[0]]).toEqual(['haproxy', '-f']);
    // A draining worker must fail `fall` checks, `inter` apart, before it stops accepting.
    const servers = [...config.matchAll(/^\s+server .* check inter (\S+) rise \d+ fall (\d+)/gm)];
    expect(servers).toHaveLength(everyBackend().length);
    const takenOutWithin = (parseDuration(servers[0]![1]!) ?? Number.NaN) * Number(servers[0]![2]);
    const shutdownDelays = pageCommands(page.block('hosts-fleets')).map(
      (command) => parseDuration(flagValue(command.args, '--shutdown-delay')) ?? Number.NaN,
    );
    console.log(
      `HAProxy takes a draining worker out within ${takenOutWithin} ms; shutdown delays ${shutdownDelays}`,
    );
    for (const delay of shutdownDelays) expect(delay).toBeGreaterThanOrEqual(takenOutWithin);

    const haproxy = await startHaproxy(config);
    try {
      const answers = await requestsWithJar(`${haproxy.url}/`, 40);
      const counts = countByBackend(answers);
      console.log(
        `through HAProxy: ${JSON.stringify(counts)}, visits ${answers[0]!.visits}…${answers.at(-1)!.visits}`,
      );
      expect(Object.keys(counts).sort()).toEqual(everyBackend());
      expect(answers.map((answer) => answer.visits)).toEqual(
        Array.from({ length: 40 }, (_, index) => index + 1),
      );
    } finally {
      await haproxy.stop();
    }
  });
});

/** Statuses (0: no answer) and answering hosts of GETs sent one after another until `done`. */
async function requestsUntil(url: string, done: () => boolean, atMost: number) {
  const statuses: Record<string, number> = {};
  const hostsAfterDone: string[] = [];
  let sent = 0;
  // A few more once done: the fleet is gone then, and its workers must be out of rotation.
  for (let after = 0; sent < atMost && after < 20; sent++) {
    const finished = done();
    const reply = await httpRequest(url).catch(() => undefined);
    const status = String(reply?.status ?? 0);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (finished) {
      after++;
      if (reply?.status === 200) {
        hostsAfterDone.push(pageAddressOf(reply.json<{ port: number }>().port).split(':')[0]!);
      }
    }
  }
  return { sent, statuses, hostsAfterDone };
}

describeWithHaproxy('a host taken out from behind HAProxy (SIGTERM to its fleet)', () => {
  it('fails no request: its workers leave rotation during the shutdown delay, the other host answers', async () => {
    const { config } = exportedConfig('hosts-haproxy', await freePort());
    const haproxy = await startHaproxy(config);
    try {
      const [, leaving] = hosts;
      let exited = false;
      void leaving!.fleet.waitForExit({ timeout: 60_000 }).then(() => (exited = true));
      leaving!.fleet.kill('SIGTERM');
      const { sent, statuses, hostsAfterDone } = await requestsUntil(
        `${haproxy.url}/`,
        () => exited,
        5_000,
      );
      const exit = await leaving!.fleet.waitForExit();
      console.log(
        `host ${leaving!.address} stopped behind HAProxy: ${sent} requests, statuses ${JSON.stringify(statuses)}, ` +
          `exit ${exit.code}; after its exit answered by ${[...new Set(hostsAfterDone)].join(', ')}`,
      );
      expect(exit.code).toBe(0);
      expect(statuses).toEqual({ 200: sent });
      expect(new Set(hostsAfterDone)).toEqual(new Set([hosts[0]!.address]));
    } finally {
      await haproxy.stop();
    }
  });
});
