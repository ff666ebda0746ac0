import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { StartupError, type HttpReply } from '@koa-fleet/testkit';
import { SessionClient } from './session-client.js';
import {
  emptyLedger,
  emptyOutcomes,
  type SessionLedger,
  type SessionOutcomes,
} from './session-ledger.js';

/** The counter every user increments (`POST /session/incr?name=hits`). */
export const COUNTER_FIELD = 'hits';

/** One client session with what it was acknowledged and how its answers came out. */
export interface SessionUser {
  client: SessionClient;
  ledger: SessionLedger;
  outcomes: SessionOutcomes;
  /** Writes sent so far; numbers the next field (`f<n>`). */
  sent: number;
}

export interface SessionUsersOptions {
  /** Where each user sends its requests: user i goes to urls[i % urls.length]. */
  urls: readonly string[];
  count: number;
  /** Keep-alive connections at most, shared by the users. Default: one per user. */
  agent?: Agent;
}

/**
 * `count` users, each with a session stored already (its first field written and answered 200),
 * so a fault that follows meets sessions that exist.
 */
export async function createSessionUsers({
  urls,
  count,
  agent = new Agent({ keepAlive: true, maxSockets: count }),
}: SessionUsersOptions): Promise<SessionUser[]> {
  const users = Array.from({ length: count }, (_, index) => ({
    client: new SessionClient(urls[index % urls.length]!, agent),
    ledger: emptyLedger(),
    outcomes: emptyOutcomes(),
    sent: 0,
  }));
  await Promise.all(
    users.map(async (user) => {
      await writeOnce(user);
      if (user.ledger.fields.size !== 1 || user.client.sessionId === undefined) {
        throw new StartupError(`a session could not be created on ${user.client.url}`);
      }
    }),
  );
  return users;
}

export interface SessionTraffic {
  /** Stops sending, and resolves once every request in flight has its answer. */
  stop(): Promise<void>;
}

/**
 * Every user writes until stopped, one request at a time with `pauseMs` between them: two
 * distinct fields (`POST /session/field?name=f<n>&value=…`), then an `incr` of the counter.
 */
export function startSessionTraffic(
  users: readonly SessionUser[],
  { pauseMs = 10 }: { pauseMs?: number } = {},
): SessionTraffic {
  let running = true;
  const loops = users.map(async (user) => {
    while (running) {
      await writeOnce(user);
      await sleep(pauseMs);
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** One write of `user`'s, its answer recorded in its ledger and outcomes. */
export async function writeOnce(user: SessionUser): Promise<void> {
  const n = user.sent++;
  const isIncr = n % 3 === 2;
  const name = `f${n}`;
  const value = `v${n}-${Math.random().toString(36).slice(2, 8)}`;
  const path = isIncr
    ? `/session/incr?name=${COUNTER_FIELD}`
    : `/session/field?name=${name}&value=${value}`;
  let reply: HttpReply | undefined;
  try {
    reply = await user.client.request('POST', path);
  } catch {
    user.outcomes.failed += 1;
  }
  if (reply?.status === 200) {
    user.outcomes.acked += 1;
    if (isIncr) user.ledger.incrAcked += 1;
    else user.ledger.fields.set(name, value);
    return;
  }
  if (isIncr) user.ledger.incrUnacked += 1;
  if (reply) recordRefusal(user.outcomes, reply);
}

/** A session request's answer that is not a 200, counted by kind. */
export function recordRefusal(outcomes: SessionOutcomes, reply: HttpReply): void {
  if (reply.status === 503) {
    outcomes.unavailable += 1;
    if (reply.headers['retry-after'] === undefined) outcomes.missingRetryAfter += 1;
    if (storeErrorCode(reply) !== 'KF_SESSION_UNAVAILABLE') outcomes.unclear503 += 1;
  } else if (reply.status === 500) outcomes.serverErrors += 1;
  else if (reply.status !== 200) outcomes.otherNon2xx += 1;
}

/** `{"error":{"code":…}}`, the session store's error body, or undefined for any other body. */
function storeErrorCode(reply: HttpReply): string | undefined {
  try {
    const body = reply.json<{ error?: { code?: unknown } }>();
    return typeof body.error?.code === 'string' ? body.error.code : undefined;
  } catch {
    return undefined;
  }
}
