import { fileURLToPath } from 'node:url';
import { Agent } from 'node:http';
import {
  freePort,
  httpRequest,
  spawnNode,
  startHaproxy,
  startNginx,
  stopAll,
} from '@koa-fleet/testkit';
import { exportHaproxyConfig, exportNginxConfig, type BalancerConfig } from '@koa-fleet/balancer';
import { afterAll, afterEach, expect, it } from 'vitest';
import { haproxyAccepts, nginxAccepts } from './engine-check.js';
import { useTestServers } from './test-servers.js';

// The bin runs dist/cli.js: build first (the root `pnpm test` does).
const bin = fileURLToPath(new URL('../../bin/koa-fleet-balancer.js', import.meta.url));

export type Engine = 'nginx' | 'haproxy';

const ENGINES = {
  nginx: {
    exportConfig: exportNginxConfig,
    accepts: (text: string) => nginxAccepts(text, { full: true }),
    start: (text: string) => startNginx(text, { wholeFile: true }),
  },
  haproxy: {
    exportConfig: exportHaproxyConfig,
    accepts: (text: string) => haproxyAccepts(text, { full: true }),
    start: (text: string) => startHaproxy(text),
  },
};

/** `koa-fleet-balancer export <engine> --full …` as a user runs it: its stdout, once it exits 0. */
async function exportWithCli(engine: Engine, args: string[]): Promise<string> {
  const cli = await spawnNode(bin, { args: ['export', engine, '--full', ...args] });
  expect(await cli.waitForExit(), cli.stderr()).toEqual({ code: 0, signal: null });
  return cli.stdout();
}

/** Which backend answered each GET, in the order the answers came; any other answer is a failure. */
interface Answers {
  backends: string[];
  failures: string[];
}

/**
 * `count` GETs over `concurrency` kept-alive connections; `after: [n, task]` runs the task once n
 * answers came, while the other connections go on sending.
 */
async function getMany(
  url: string,
  count: number,
  agent: Agent,
  {
    concurrency = CONCURRENCY,
    after,
  }: { concurrency?: number; after?: [number, (answers: Answers) => Promise<void>] } = {},
): Promise<Answers> {
  const answers: Answers = { backends: [], failures: [] };
  let sent = 0;
  let waiting: Promise<void> | undefined;
  const loop = async () => {
    while (sent < count) {
      sent++;
      try {
        const reply = await httpRequest(url, { agent });
        if (reply.status === 200) answers.backends.push(reply.json<{ backend: string }>().backend);
        else answers.failures.push(`${reply.status} ${reply.body}`);
      } catch (error) {
        answers.failures.push((error as Error).message);
      }
      if (after && answers.backends.length + answers.failures.length === after[0]) {
        waiting = after[1](answers);
        await waiting;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  await waiting;
  return answers;
}

/** Requests in flight at once: each on its own kept-alive connection. */
const CONCURRENCY = 8;

const share = (answers: Answers, name: string) =>
  answers.backends.filter((backend) => backend === name).length / answers.backends.length;

/** The headers the balancer writes, as a backend sees them. */
const FORWARDING = [
  'host',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'forwarded',
  'via',
  'x-request-id',
] as const;

/**
 * The round trip for one engine: the CLI's `--full` export is accepted by the engine's own check,
 * then run by the engine in front of two real backends, and behaves as the balancer would.
 */
export function exportedEngineSuite(engine: Engine): void {
  const servers = useTestServers();
  const { exportConfig, accepts, start } = ENGINES[engine];
  const agents: Agent[] = [];
  const keepAlive = () => {
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    agents.push(agent);
    return agent;
  };
  afterEach(() => agents.splice(0).forEach((agent) => agent.destroy()));
  afterAll(stopAll);

  it('runs the --full export: 3:1 weights split 4,000 requests 75 % to 25 %, and a killed backend fails none', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const port = await freePort();
    const text = await exportWithCli(engine, [
      '--backend',
      `${a.url}=3`,
      '--backend',
      b.url,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ]);
    const verdict = await accepts(text);
    expect(verdict.ok, verdict.output).toBe(true);
    const proxy = await start(text);
    expect(proxy.port).toBe(port);
    const agent = keepAlive();

    const split = await getMany(proxy.url, 4_000, agent);
    expect(split.failures).toEqual([]);
    expect(share(split, 'a')).toBeGreaterThanOrEqual(0.73);
    expect(share(split, 'a')).toBeLessThanOrEqual(0.77);

    // The heavy backend goes away under load: its pooled connections are cut, its port closes.
    let killedAt = -1;
    const failover = await getMany(proxy.url, 1_000, agent, {
      after: [
        100,
        async (answers) => {
          await a.close();
          killedAt = answers.backends.length + answers.failures.length;
        },
      ],
    });
    expect(failover.failures).toEqual([]);
    expect(failover.backends).toHaveLength(1_000);
    expect(killedAt).toBeGreaterThanOrEqual(100);
    // Only answers already on their way (one per connection at most) can still come from a.
    const late = failover.backends.slice(killedAt);
    expect(late.filter((backend) => backend === 'a').length).toBeLessThanOrEqual(CONCURRENCY);
    expect(late.slice(CONCURRENCY).every((backend) => backend === 'b')).toBe(true);
    await proxy.stop();
  });

  it('keeps each session on one backend by the hash of its cookie, and spreads the sessions', async () => {
    const [a, b] = await Promise.all([servers.backend('a'), servers.backend('b')]);
    const config: BalancerConfig = {
      backends: [a.url, b.url],
      host: '127.0.0.1',
      port: await freePort(),
      strategy: { name: 'hash', key: 'cookie:sid' },
    };
    const proxy = await start(exportConfig(config, { full: true }));
    const backendFor = async (cookie?: string) => {
      const reply = await httpRequest(proxy.url, cookie ? { headers: { cookie } } : {});
      return reply.json<{ backend: string }>().backend;
    };
    const placed = new Map<string, string>();
    for (let session = 0; session < 40; session++) {
      const cookie = `theme=dark; sid=session-${session}`;
      const first = await backendFor(cookie);
      expect([await backendFor(cookie), await backendFor(cookie)]).toEqual([first, first]);
      placed.set(cookie, first);
    }
    expect(new Set(placed.values())).toEqual(new Set(['a', 'b']));
    // Without the cookie a request is hashed on its address: every one from here to one backend.
    expect(
      new Set(await Promise.all(Array.from({ length: 10 }, () => backendFor()))),
    ).toHaveProperty('size', 1);
    await proxy.stop();
  });

  it.each([
    ['trusts no hop (the default)', {}],
    ['trusts the loopback hop', { trustProxy: ['loopback'] }],
  ] as [string, Partial<BalancerConfig>][])(
    'hands a backend the forwarded headers the balancer does when it %s',
    async (_case, forwarding) => {
      const backend = await servers.backend('a');
      const config: BalancerConfig = { backends: [backend.url], host: '127.0.0.1', ...forwarding };
      const balancer = await servers.balancer(config);
      const proxy = await start(
        exportConfig({ ...config, port: await freePort() }, { full: true }),
      );
      const headers = {
        host: 'app.example:8080',
        'x-forwarded-for': '203.0.113.9',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'shop.example',
        forwarded: 'for=203.0.113.9;proto=https',
        via: '1.1 edge',
        'x-request-id': 'req-42',
      };
      const seen = async (url: string) => {
        const reply = await httpRequest(url, { headers });
        const sent = reply.json<{ headers: Record<string, string> }>().headers;
        return Object.fromEntries(FORWARDING.map((name) => [name, sent[name]]));
      };
      const throughBalancer = await seen(balancer.url);
      expect(throughBalancer['x-request-id']).toBe('req-42');
      expect(await seen(proxy.url)).toEqual(throughBalancer);
      // Without a request id of its own, a request is given one.
      const fresh = await httpRequest(proxy.url);
      expect(fresh.json<{ headers: Record<string, string> }>().headers['x-request-id']).toMatch(
        /^[!-~]{16,}$/,
      );
      await proxy.stop();
    },
  );
}
