/** What the system acknowledged (answered 200) to one session client, to check afterwards. */
export interface SessionLedger {
  /** Each field whose write was answered 200, with the value written. */
  fields: Map<string, string>;
  /** `incr` requests answered 200. */
  incrAcked: number;
  /** `incr` requests that got no 200 (503, an error): each may or may not have been applied. */
  incrUnacked: number;
}

/** How the answers to a group of session requests came out. */
export interface SessionOutcomes {
  /** Writes (field or incr) answered 200. */
  acked: number;
  /** 503s, each carrying `Retry-After` unless counted in `missingRetryAfter`. */
  unavailable: number;
  missingRetryAfter: number;
  /** 503s whose body is not the session store's `KF_SESSION_UNAVAILABLE` error. */
  unclear503: number;
  serverErrors: number;
  /** Any other status but 200, 503 and 500. */
  otherNon2xx: number;
  /** No answer: refused, reset, timed out. */
  failed: number;
}

export function emptyLedger(): SessionLedger {
  return { fields: new Map(), incrAcked: 0, incrUnacked: 0 };
}

export function emptyOutcomes(): SessionOutcomes {
  return {
    acked: 0,
    unavailable: 0,
    missingRetryAfter: 0,
    unclear503: 0,
    serverErrors: 0,
    otherNon2xx: 0,
    failed: 0,
  };
}

/** The outcomes of several groups added up. */
export function sumOutcomes(all: readonly SessionOutcomes[]): SessionOutcomes {
  const total = emptyOutcomes();
  for (const outcomes of all) {
    for (const key of Object.keys(total) as Array<keyof SessionOutcomes>) {
      total[key] += outcomes[key];
    }
  }
  return total;
}
