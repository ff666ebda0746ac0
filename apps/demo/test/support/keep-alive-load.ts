import type { Agent } from 'node:http';
import { CookieJar, httpRequest } from './demo-process.js';

/** What `/` and `/session/visit` answer: the worker that served, and the session's count. */
interface Answer {
  pid: number;
  slot: number;
  generation: number;
  port: number;
  visits?: number;
}

/**
 * `loops` browsers, each sending `GET /` and `POST /session/visit` in turn on keep-alive
 * connections through the balancer until stopped, each with its own session. A failure is an
 * answer that is not a 200, an error, or a visit count that is not the loop's own count so far
 * (a lost or doubled visit). `generations` says which generations answered on each slot.
 */
export function keepAliveLoad(url: string, agent: Agent, loops = 8) {
  let running = true;
  let answered = 0;
  const failures: string[] = [];
  const generations = new Map<number, Set<number>>();
  const loop = async () => {
    const jar = new CookieJar();
    let visits = 0;
    for (let n = 0; running; n++) {
      const visit = n % 2 === 1;
      const what = visit ? 'POST /session/visit' : 'GET /';
      try {
        const reply = await httpRequest(`${url}${visit ? '/session/visit' : '/'}`, {
          agent,
          method: visit ? 'POST' : 'GET',
          headers: { accept: 'application/json', ...jar.header() },
        });
        jar.store(reply);
        if (reply.status !== 200) {
          failures.push(`${what} → ${reply.status} ${reply.body}`);
          continue;
        }
        const answer = reply.json<Answer>();
        if (visit && answer.visits !== ++visits) {
          failures.push(`${what} → visits ${answer.visits}, expected ${visits}`);
          visits = answer.visits ?? visits;
        }
        generations.set(
          answer.slot,
          (generations.get(answer.slot) ?? new Set()).add(answer.generation),
        );
        answered++;
      } catch (error) {
        failures.push(`${what} → ${(error as Error).message}`);
      }
    }
  };
  const done = Promise.all(Array.from({ length: loops }, loop));
  return {
    failures,
    generations,
    get answered() {
      return answered;
    },
    async stop() {
      running = false;
      await done;
    },
  };
}
