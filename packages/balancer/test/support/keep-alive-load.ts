import type { Agent } from 'node:http';
import { httpRequest } from '@koa-fleet/testkit';

/** What test/fixtures/fleet-app.mjs answers. */
export interface FleetAnswer {
  port: number;
  generation: number;
  pid: number;
}

/**
 * `loops` clients sending requests one after another on keep-alive connections, GET and POST
 * (2 KB) in turn, until stopped; every answer that is not a 200 is a failure. `generations` says
 * which generations answered on each port, `pids` which worker processes.
 */
export function keepAliveLoad(url: string, agent: Agent, loops = 8) {
  let running = true;
  let answered = 0;
  const failures: string[] = [];
  const generations = new Map<number, Set<number>>();
  const pids = new Set<number>();
  const body = 'x'.repeat(2_048);
  const loop = async (index: number) => {
    for (let n = index; running; n++) {
      const method = n % 2 === 0 ? 'GET' : 'POST';
      try {
        const reply = await httpRequest(`${url}/work/${n}`, {
          agent,
          method,
          ...(method === 'POST' && { body, headers: { 'content-type': 'text/plain' } }),
        });
        if (reply.status !== 200) {
          failures.push(`${method} → ${reply.status} ${reply.body}`);
          continue;
        }
        const { port, generation, pid } = reply.json<FleetAnswer>();
        generations.set(port, (generations.get(port) ?? new Set()).add(generation));
        pids.add(pid);
        answered++;
      } catch (error) {
        failures.push(`${method} → ${(error as Error).message}`);
      }
    }
  };
  const done = Promise.all(Array.from({ length: loops }, (_, index) => loop(index)));
  return {
    failures,
    generations,
    pids,
    get answered() {
      return answered;
    },
    async stop() {
      running = false;
      await done;
    },
  };
}
