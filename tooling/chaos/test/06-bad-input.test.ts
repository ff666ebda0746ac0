import { afterAll, beforeAll, describe, it } from 'vitest';
import { httpRequest, rawRequest } from '@koa-fleet/testkit';
import {
  badRequestCases,
  SMUGGLED_PATH,
  type BadInputKind,
  type BadRequestCase,
} from '../src/faults/bad-requests.js';
import { fuzzRequest } from '../src/faults/fuzz-requests.js';
import {
  rawOutcome,
  responseBody,
  responseCount,
  type RawOutcome,
} from '../src/faults/raw-outcome.js';
import { fuzzSeed, SeededRandom } from '../src/faults/seeded-random.js';
import {
  sessionCookieSample,
  type SessionCookieSample,
} from '../src/faults/session-cookie-sample.js';
import { reportScenario } from '../src/results/record-scenario.js';
import type { ChaosBalancer } from '../src/system/start-balancer.js';
import type { ChaosFleet } from '../src/system/start-fleet.js';
import { startSystem, type ChaosSystem } from '../src/system/start-system.js';
import { workerPids } from '../src/system/worker-pids.js';
import { workerRequests } from '../src/system/worker-requests.js';

// The worker's own bound on a slow client (server.requestTimeout). Node checks it every 30 s
// (connectionsCheckingInterval), so a slow client is cut off within 3 + 30 s: a "hang" is no
// answer and no close within 45 s.
const WORKER_REQUEST_TIMEOUT = 3000;
const SLOW_DEADLINE = 45_000;
/** How long a fast case waits for more after its last byte (a kept-alive answer ends so). */
const FAST_WAIT = 2000;
const FUZZ_REQUESTS_PER_TARGET = 1000;
const BATCH = 10;

interface Target {
  name: 'balancer' | 'worker';
  url: string;
}

/** `items` through `run`, `size` at a time: a bounded number of connections open at once. */
async function inBatches<T, R>(items: readonly T[], size: number, run: (item: T) => Promise<R>) {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    results.push(...(await Promise.all(items.slice(i, i + size).map(run))));
  }
  return results;
}

describe('6. bad input against the balancer and a worker', () => {
  let system: ChaosSystem | undefined;
  let fleet: ChaosFleet;
  let balancer: ChaosBalancer;
  let targets: Target[];
  let pidsBefore: number[];

  beforeAll(async () => {
    system = await startSystem({
      fleet: { env: { KF_CHAOS_REQUEST_TIMEOUT: String(WORKER_REQUEST_TIMEOUT) } },
      balancer: {
        keepAlive: { idleTimeout: '1s' },
        client: { headersTimeout: '1s', requestTimeout: '2s', maxBodySize: '1mb' },
      },
    });
    ({ fleet, balancer } = system);
    targets = [
      { name: 'balancer', url: balancer.url },
      { name: 'worker', url: fleet.urls[0]! },
    ];
    pidsBefore = [balancer.process.pid, fleet.process.pid, ...(await workerPids(fleet.urls))];
  });
  afterAll(async () => {
    await system?.stop();
  });

  /** After the attacks: every process ready, none restarted, a normal request answered. */
  async function healthAfter() {
    const ready = await Promise.all(
      [balancer.url, ...fleet.urls].map(async (url) => (await httpRequest(`${url}/readyz`)).status),
    );
    const pidsAfter = [balancer.process.pid, fleet.process.pid, ...(await workerPids(fleet.urls))];
    const normal = await Promise.all(
      [balancer.url, ...fleet.urls].map(async (url) => (await httpRequest(`${url}/hello`)).status),
    );
    return {
      'not ready after': ready.filter((status) => status !== 200).length,
      'pids changed': pidsAfter.filter((pid, i) => pid !== pidsBefore[i]).length,
      'normal requests after': normal.filter((status) => status === 200).length,
    };
  }
  const healthExpected = { 'not ready after': 0, 'pids changed': 0, 'normal requests after': 3 };

  it('answers smuggling, oversized, forged cookies, bad methods and URLs and slow clients with a 4xx or a close, never a 5xx or a hang', async () => {
    const sample: SessionCookieSample = await sessionCookieSample(balancer.url);
    const cases = badRequestCases(sample, { slowDeadline: SLOW_DEADLINE });
    const seenBefore = await workerRequests(fleet.urls);
    const runs = targets.flatMap((target) => cases.map((badCase) => ({ target, badCase })));

    const attempt = async ({ target, badCase }: { target: Target; badCase: BadRequestCase }) => {
      const reply = await rawRequest(target.url, badCase.parts, {
        timeout: FAST_WAIT,
        deadline: badCase.deadline ?? SLOW_DEADLINE,
      });
      return { target, badCase, reply, outcome: rawOutcome(reply) };
    };
    // The slow clients run alongside the rest: each takes up to the worker's timeout.
    const slowRuns = runs.filter((run) => run.badCase.kind === 'slow');
    const slow = Promise.all(slowRuns.map(attempt));
    const fast = await inBatches(
      runs.filter((run) => run.badCase.kind !== 'slow'),
      BATCH,
      attempt,
    );
    const results = [...fast, ...(await slow)];

    const counts: Record<string, number> = { cases: results.length };
    const kinds: BadInputKind[] = ['smuggling', 'oversized', 'cookie', 'method-url', 'slow'];
    for (const kind of kinds) {
      const ofKind = results.filter((result) => result.badCase.kind === kind);
      for (const outcome of ['4xx', 'closed', '2xx', 'unsupported-coding'] as RawOutcome[]) {
        counts[`${kind} ${outcome}`] = ofKind.filter((result) => result.outcome === outcome).length;
      }
    }
    const wrong = results.filter((result) => !result.badCase.allowed.includes(result.outcome));
    for (const result of wrong) {
      console.log(
        `not allowed: ${result.target.name} ${result.badCase.kind} "${result.badCase.name}" → ${result.outcome}: ${JSON.stringify(result.reply.text.slice(0, 300))}`,
      );
    }
    counts['not allowed'] = wrong.length;
    counts['5xx'] = results.filter((result) => result.outcome === '5xx').length;
    counts.hangs = results.filter((result) => result.outcome === 'hang').length;

    // Smuggling: the hidden request never reached a worker, and no second answer came back.
    const seenAfter = await workerRequests(fleet.urls);
    counts['smuggled requests seen'] = seenAfter.reduce(
      (sum, worker, i) =>
        sum + (worker.paths[SMUGGLED_PATH] ?? 0) - (seenBefore[i]!.paths[SMUGGLED_PATH] ?? 0),
      0,
    );
    counts['extra responses'] = results
      .filter((result) => result.badCase.kind === 'smuggling')
      .filter((result) => responseCount(result.reply) > 1).length;

    // A forged cookie gets a new, empty session, never the real one's field.
    const readsRealSession = (text: string) => {
      try {
        const { fields } = JSON.parse(text) as { fields?: Record<string, unknown> };
        return fields?.[sample.field.name] === sample.field.value;
      } catch {
        return false;
      }
    };
    counts['forged cookies that read the session'] = results
      .filter((result) => result.badCase.kind === 'cookie' && result.outcome === '2xx')
      .filter((result) => readsRealSession(responseBody(result.reply))).length;
    // The control: the real cookie does read it, on both targets, so the check above can fail.
    let realCookieReads = 0;
    for (const target of targets) {
      const reply = await httpRequest(`${target.url}/session`, {
        headers: { cookie: `${sample.name}=${sample.id}; ${sample.name}.sig=${sample.sig}` },
      });
      if (reply.status === 200 && readsRealSession(reply.body)) realCookieReads += 1;
    }
    counts['real cookie reads its session'] = realCookieReads;

    reportScenario({
      order: 6.1,
      title: 'Bad input: smuggling, oversized, forged cookies, bad methods/URLs, slow clients',
      proves:
        'every malformed, ambiguous, oversized, forged or slow request to the balancer or straight to a worker is refused (4xx or a close) or answered normally, never with a 5xx or a hang; no smuggled request reaches a worker, no forged session cookie reads a session, and no process restarts',
      counts: { ...counts, ...(await healthAfter()) },
      expected: {
        'not allowed': 0,
        '5xx': 0,
        hangs: 0,
        'smuggled requests seen': 0,
        'extra responses': 0,
        'forged cookies that read the session': 0,
        'real cookie reads its session': targets.length,
        ...healthExpected,
      },
    });
  });

  it('answers seeded mutations of valid requests with a 2xx, a 4xx or a close, never a 5xx or a hang', async () => {
    const seed = fuzzSeed();
    console.log(`fuzz seed ${seed} (KF_CHAOS_FUZZ_SEED=${seed} replays this run)`);
    const random = new SeededRandom(seed);
    // Made up front, in one order, so the seed alone decides every request of both targets.
    const requests = Array.from({ length: FUZZ_REQUESTS_PER_TARGET }, () => fuzzRequest(random));
    const runs = targets.flatMap((target) =>
      requests.map((request, index) => ({ target, request, index })),
    );
    const results = await inBatches(runs, BATCH, async (run) => {
      // Half-closed after the bytes: a truncated request is then complete as it will ever be.
      const reply = await rawRequest(run.target.url, [run.request.bytes], {
        timeout: 5000,
        end: true,
      });
      return { ...run, reply, outcome: rawOutcome(reply) };
    });

    const count = (outcomes: RawOutcome[]) =>
      results.filter((result) => outcomes.includes(result.outcome)).length;
    for (const result of results.filter((r) => r.outcome === '5xx' || r.outcome === 'hang')) {
      console.log(
        `fuzz #${result.index} → ${result.target.name} ${result.outcome}: ${JSON.stringify(result.request.bytes.toString('latin1'))} → ${JSON.stringify(result.reply.text.slice(0, 200))}`,
      );
    }
    reportScenario({
      order: 6.2,
      title: 'Bad input: seeded fuzz of mutated requests',
      proves:
        "random mutations of valid requests (flipped, inserted, deleted, repeated and truncated bytes, huge numbers, framing pieces) and pure noise, sent to the balancer and straight to a worker, get a 2xx, a 4xx, a close or the balancer's documented 501 to a transfer coding it cannot decode — never another 5xx, never a hang — and no process restarts",
      counts: {
        seed,
        requests: results.length,
        '2xx': count(['2xx']),
        '4xx': count(['4xx']),
        closed: count(['closed']),
        '1xx/3xx': count(['1xx', '3xx']),
        '501 unsupported coding': count(['unsupported-coding']),
        '5xx': count(['5xx']),
        hangs: count(['hang']),
        ...(await healthAfter()),
      },
      expected: { '5xx': 0, hangs: 0, ...healthExpected },
    });
  });
});
