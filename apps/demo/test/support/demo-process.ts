import { Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  httpRequest,
  isPortFree,
  spawnNode,
  type HttpReply,
  type NodeProcess,
} from '@koa-fleet/testkit';

/** The built demo, as `pnpm demo` runs it (the test project's build step makes it). */
export const demoMain = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
export const demoLoad = fileURLToPath(new URL('../../dist/load.js', import.meta.url));

export interface DemoPorts {
  port: number;
  adminPort: number;
  /** The first of `workers` consecutive free ports (and as many from each `+ 100` on). */
  fleetPort: number;
}

/** Free ports for a demo of `workers` workers on each of `hosts` hosts (`+ 100` apart). */
export async function demoPorts(workers: number, hosts = 1): Promise<DemoPorts> {
  for (;;) {
    const fleetPort = await freePort();
    const range = Array.from({ length: hosts }, (_, host) =>
      Array.from({ length: workers }, (_, slot) => fleetPort + 100 * host + slot),
    ).flat();
    if (range.some((port) => port > 65_535)) continue;
    const rest = range.slice(1);
    if (!(await Promise.all(rest.map((port) => isPortFree(port)))).every(Boolean)) continue;
    const [port, adminPort] = [await freePort(), await freePort()];
    if (range.includes(port) || range.includes(adminPort) || port === adminPort) continue;
    return { port, adminPort, fleetPort };
  }
}

export function demoArgs(ports: DemoPorts, workers: number): string[] {
  return [
    '--port',
    String(ports.port),
    '--admin-port',
    String(ports.adminPort),
    '--fleet-port',
    String(ports.fleetPort),
    '--workers',
    String(workers),
  ];
}

export interface RunningDemo {
  process: NodeProcess;
  /** The app through the balancer: `http://127.0.0.1:<port>`. */
  url: string;
  adminUrl: string;
  /** Every worker pid the banner named, by slot. */
  workerPids: number[];
  /** Every worker's port the banner named, by slot. */
  workerPorts: number[];
  primaryPid: number;
  balancerPid: number;
}

/** Starts the built demo on free ports and waits for its banner. */
export async function startDemo(
  workers: number,
  env: Record<string, string> = {},
): Promise<RunningDemo> {
  const ports = await demoPorts(workers);
  const demo = await spawnNode(demoMain, {
    args: demoArgs(ports, workers),
    env: { REDIS_URL: '', KOA_FLEET_LOG_FORMAT: 'json', ...env },
    readyLine: /stop +Ctrl-C/,
    timeout: 60_000,
  });
  const banner = demo.stdout();
  const pids = /primary +pid (\d+)[\s\S]*balancer +pid (\d+)/.exec(banner);
  const slots = [...banner.matchAll(/slot (\d+) +pid (\d+) +:(\d+)/g)].sort(
    (a, b) => Number(a[1]) - Number(b[1]),
  );
  const workerPids = slots.map((match) => Number(match[2]));
  const workerPorts = slots.map((match) => Number(match[3]));
  return {
    process: demo,
    url: `http://127.0.0.1:${ports.port}`,
    adminUrl: `http://127.0.0.1:${ports.adminPort}`,
    workerPids,
    workerPorts,
    primaryPid: Number(pids?.[1]),
    balancerPid: Number(pids?.[2]),
  };
}

/** Whether a process with this pid still exists (signal 0 only asks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Keeps the cookies a browser (one browser: every tab) would keep. */
export class CookieJar {
  readonly #cookies = new Map<string, string>();
  header(): Record<string, string> {
    if (this.#cookies.size === 0) return {};
    return { cookie: [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
  }
  store(reply: HttpReply): HttpReply {
    for (const line of reply.setCookies) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      this.#cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return reply;
  }
}

/** Kept-alive connections, as a browser or a load tool holds them to the balancer. */
export function keepAliveAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 32 });
}

/** `count` requests, `concurrency` at a time; answers in the order they were asked for. */
export async function many<T>(
  count: number,
  concurrency: number,
  send: (i: number) => Promise<T>,
): Promise<T[]> {
  const answers: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        answers[i] = await send(i);
      }
    }),
  );
  return answers;
}

export { httpRequest };
