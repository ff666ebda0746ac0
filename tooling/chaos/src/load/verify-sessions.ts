import type { SessionUser } from './session-traffic.js';
import { COUNTER_FIELD } from './session-traffic.js';

/** What reading every session back found, against what each was acknowledged. */
export interface SessionCheck {
  /** Acknowledged field writes absent or holding another value. */
  missingFields: number;
  /** Counters below their acknowledged increments: an acknowledged `incr` lost. */
  countersBelowAcked: number;
  /** Counters above every increment sent: one applied twice. */
  countersAboveSent: number;
  /** Increments applied although their request got no 200 (the answer lost in flight). */
  appliedUnacked: number;
  /** Sessions that could not be read (not a 200). */
  unreadable: number;
}

/** Reads each user's session (`GET /session`) and checks every acknowledged write in it. */
export async function verifySessions(users: readonly SessionUser[]): Promise<SessionCheck> {
  const check: SessionCheck = {
    missingFields: 0,
    countersBelowAcked: 0,
    countersAboveSent: 0,
    appliedUnacked: 0,
    unreadable: 0,
  };
  for (const { client, ledger } of users) {
    const reply = await client.request('GET', '/session');
    if (reply.status !== 200) {
      check.unreadable += 1;
      check.missingFields += ledger.fields.size;
      continue;
    }
    const { fields } = reply.json<{ fields: Record<string, unknown> }>();
    for (const [name, value] of ledger.fields) if (fields[name] !== value) check.missingFields += 1;
    const counter = Number(fields[COUNTER_FIELD] ?? 0);
    if (counter < ledger.incrAcked) check.countersBelowAcked += 1;
    else check.appliedUnacked += counter - ledger.incrAcked;
    if (counter > ledger.incrAcked + ledger.incrUnacked) check.countersAboveSent += 1;
  }
  return check;
}
