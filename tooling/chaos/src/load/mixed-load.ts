import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { InvalidOptionError } from '@koa-fleet/errors';

/** One request of the mix; each connection sends the steps in turn, over and over. */
export interface LoadStep {
  /** Names the step in the counts, e.g. `'GET /hello'`. */
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  /** Path and query, e.g. `/session/incr?name=writes`. */
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

/** A whole answer, for `onAnswer`. */
export interface LoadAnswer {
  /** Which of the load's connections (0-based) it came on. */
  connection: number;
  step: LoadStep;
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface MixedLoadOptions {
  /** A loopback URL; the steps' paths are appended to it. */
  url: string;
  /** Keep-alive connections, each sending one request at a time. Default 16. */
  connections?: number;
  /** Default: `GET /hello` and `POST /echo` with a 2 KB body, interleaved. */
  steps?: readonly LoadStep[];
  /** Stops by itself after this many ms; without it, runs until `stop()` (10 minutes at most). */
  duration?: number;
  /** An answer that has not ended after this many ms counts as a timeout. Default 10 000. */
  requestTimeout?: number;
  /** Called with every answer, e.g. to read the generation or count acknowledged writes. */
  onAnswer?: (answer: LoadAnswer) => void;
}

/** One step's share of the counts. */
export interface StepCounts {
  requests: number;
  failed: number;
  non2xx: number;
}

export interface LoadCounts {
  /** Requests sent: answered plus failed. */
  requests: number;
  /** Whole answers by status, e.g. `{ '200': 5120 }`. */
  statuses: Record<string, number>;
  non2xx: number;
  /** Failures other than resets and timeouts: a refused connection, a broken answer, … */
  errors: number;
  /** The connection reset or closed before the whole answer came (`ECONNRESET`, `EPIPE`). */
  resets: number;
  timeouts: number;
  /** errors + resets + timeouts: every request that got no whole answer. */
  failed: number;
  steps: Record<string, StepCounts>;
  /** The first few failures, e.g. `GET /hello: ECONNRESET socket hang up`, to explain a count. */
  failures: string[];
}

export interface MixedLoad {
  /** The counts so far. */
  counts(): LoadCounts;
  /** Each connection's cookies as a `Cookie` header (its session), by connection. */
  cookies(): string[];
  /** Stops sending; resolves once every request in flight has its answer (or failed). */
  stop(): Promise<LoadCounts>;
  /** Resolves when the load stopped (its duration ran out, or `stop()`). */
  finished: Promise<LoadCounts>;
}

export const helloAndEcho: readonly LoadStep[] = [
  { name: 'GET /hello', method: 'GET', path: '/hello' },
  {
    name: 'POST /echo',
    method: 'POST',
    path: '/echo',
    body: 'x'.repeat(2048),
    headers: { 'content-type': 'text/plain' },
  },
];

const MAX_DURATION = 600_000;
const KEPT_FAILURES = 20;
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE']);

class RequestTimeoutError extends Error {
  readonly code = 'REQUEST_TIMEOUT';
}

/**
 * A bounded keep-alive load of `connections` closed loops, each on its own socket, counting every
 * request: autocannon re-sends silently when a server closes a connection with a request in
 * flight, so a lost request would not be counted there; here it is a reset.
 */
export function startMixedLoad(options: MixedLoadOptions): MixedLoad {
  const {
    url,
    connections = 16,
    steps = helloAndEcho,
    duration,
    requestTimeout = 10_000,
    onAnswer,
  } = options;
  const base = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) {
    throw new InvalidOptionError('url', 'a loopback URL', url);
  }
  if (!Number.isInteger(connections) || connections < 1 || connections > 256) {
    throw new InvalidOptionError('connections', 'an integer from 1 to 256', connections);
  }
  if (steps.length === 0) throw new InvalidOptionError('steps', 'at least one step', steps);
  if (duration !== undefined && !(duration > 0 && duration <= MAX_DURATION)) {
    throw new InvalidOptionError('duration', `ms above 0, up to ${MAX_DURATION}`, duration);
  }

  const counts: LoadCounts = {
    requests: 0,
    statuses: {},
    non2xx: 0,
    errors: 0,
    resets: 0,
    timeouts: 0,
    failed: 0,
    steps: Object.fromEntries(
      steps.map((step) => [step.name, { requests: 0, failed: 0, non2xx: 0 }]),
    ),
    failures: [],
  };
  const jars = Array.from({ length: connections }, () => new Map<string, string>());
  let stopping = false;
  const cap = setTimeout(() => (stopping = true), duration ?? MAX_DURATION);

  const failed = (step: LoadStep, error: NodeJS.ErrnoException) => {
    const stepCounts = counts.steps[step.name]!;
    counts.requests += 1;
    counts.failed += 1;
    stepCounts.requests += 1;
    stepCounts.failed += 1;
    if (error instanceof RequestTimeoutError) counts.timeouts += 1;
    else if (RESET_CODES.has(error.code ?? '')) counts.resets += 1;
    else counts.errors += 1;
    if (counts.failures.length < KEPT_FAILURES) {
      counts.failures.push(`${step.name}: ${error.code ?? ''} ${error.message}`.trim());
    }
  };
  const answered = (answer: LoadAnswer) => {
    const stepCounts = counts.steps[answer.step.name]!;
    counts.requests += 1;
    stepCounts.requests += 1;
    counts.statuses[answer.status] = (counts.statuses[answer.status] ?? 0) + 1;
    if (answer.status < 200 || answer.status > 299) {
      counts.non2xx += 1;
      stepCounts.non2xx += 1;
    }
    keepCookies(jars[answer.connection]!, answer.headers['set-cookie']);
    onAnswer?.(answer);
  };

  const loop = async (connection: number) => {
    // One socket per connection, kept alive and opened again when the server closes it.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let index = 0; !stopping; index = (index + 1) % steps.length) {
        const step = steps[index]!;
        try {
          answered(await send(base, step, agent, jars[connection]!, connection, requestTimeout));
        } catch (error) {
          failed(step, error as NodeJS.ErrnoException);
          // A refused port would otherwise spin this loop.
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    } finally {
      agent.destroy();
    }
  };
  const finished = Promise.all(Array.from({ length: connections }, (_, i) => loop(i))).then(() => {
    clearTimeout(cap);
    return snapshot(counts);
  });

  return {
    counts: () => snapshot(counts),
    cookies: () => jars.map(cookieHeader),
    stop: () => {
      stopping = true;
      return finished;
    },
    finished,
  };
}

function send(
  base: URL,
  step: LoadStep,
  agent: Agent,
  jar: Map<string, string>,
  connection: number,
  timeout: number,
): Promise<LoadAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...step.headers };
    if (jar.size > 0) headers.cookie = cookieHeader(jar);
    const req = request(new URL(step.path, base), { method: step.method, agent, headers });
    let settled = false;
    const settle = (outcome: LoadAnswer | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(() => {
      const error = new RequestTimeoutError(`no whole answer in ${timeout} ms`);
      settle(error);
      req.destroy(error);
    }, timeout);
    req.on('error', settle);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('error', settle);
      // An answer cut short closes without `complete`; whatever error came first is the one kept.
      res.on('close', () =>
        settle(
          res.complete
            ? { connection, step, status: res.statusCode ?? 0, headers: res.headers, body }
            : Object.assign(new Error('answer cut short'), { code: 'ECONNRESET' }),
        ),
      );
    });
    req.end(step.body);
  });
}

function keepCookies(jar: Map<string, string>, setCookies: string[] | undefined): void {
  for (const line of setCookies ?? []) {
    const pair = line.split(';', 1)[0]!;
    const equals = pair.indexOf('=');
    if (equals < 1) continue;
    const name = pair.slice(0, equals).trim();
    const value = pair.slice(equals + 1).trim();
    // An empty value (with an expiry in the past) is how a server deletes a cookie.
    if (value === '') jar.delete(name);
    else jar.set(name, value);
  }
}

const cookieHeader = (jar: Map<string, string>) =>
  [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

const snapshot = (counts: LoadCounts): LoadCounts => structuredClone(counts);
