import type { CheckObservation, HealthCheck } from '../health-check.js';
import { CheckTimeoutError } from '../errors.js';

export type CheckStatus = 'pass' | 'warn' | 'fail';

/** One check's latest outcome, in the terms of the IETF health+json draft. */
export interface CheckResult {
  name: string;
  status: CheckStatus;
  critical: boolean;
  componentType?: string;
  observedValue?: unknown;
  observedUnit?: string;
  output?: string;
  /** ISO time the result was observed. */
  time: string;
}

/**
 * Runs one check with a timeout and a cached result. Concurrent probes share one run, and a run
 * still hanging from an earlier timeout is awaited rather than restarted, so a slow dependency
 * never sees more than one probe at a time however often the orchestrator asks.
 */
export class CheckRunner {
  readonly name: string;
  readonly #check: HealthCheck;
  readonly #timeoutMs: number;
  readonly #intervalMs: number;
  readonly #now: () => number;
  #cached: CheckResult | undefined;
  #cachedAt = 0;
  #refreshing: Promise<CheckResult> | undefined;
  #attempt: Promise<CheckObservation | void> | undefined;

  constructor(
    check: HealthCheck,
    timeoutMs: number,
    intervalMs: number,
    now: () => number = Date.now,
  ) {
    this.name = check.name;
    this.#check = check;
    this.#timeoutMs = timeoutMs;
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  get critical(): boolean {
    return this.#check.critical ?? true;
  }

  result(): Promise<CheckResult> {
    if (this.#cached && this.#now() - this.#cachedAt < this.#intervalMs) {
      return Promise.resolve(this.#cached);
    }
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refresh(): Promise<CheckResult> {
    const base = { name: this.name, critical: this.critical };
    let result: CheckResult;
    try {
      const observation = (await this.#withTimeout(this.#startAttempt())) ?? {};
      result = {
        ...base,
        ...describe(this.#check, observation),
        status: observation.status === 'warn' ? 'warn' : 'pass',
        time: new Date(this.#now()).toISOString(),
      };
    } catch (error) {
      result = {
        ...base,
        ...describe(this.#check, {}),
        // A non-critical failure must not take the instance out of rotation: it only warns.
        status: this.critical ? 'fail' : 'warn',
        output: error instanceof Error ? error.message : String(error),
        time: new Date(this.#now()).toISOString(),
      };
    }
    this.#cached = result;
    this.#cachedAt = this.#now();
    return result;
  }

  #startAttempt(): Promise<CheckObservation | void> {
    this.#attempt ??= Promise.resolve()
      .then(() => this.#check.check())
      .finally(() => {
        this.#attempt = undefined;
      });
    return this.#attempt;
  }

  #withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new CheckTimeoutError(this.name, this.#timeoutMs)),
        this.#timeoutMs,
      );
      timer.unref();
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }
}

function describe(check: HealthCheck, observation: CheckObservation): Partial<CheckResult> {
  const described: Partial<CheckResult> = {};
  if (check.componentType !== undefined) described.componentType = check.componentType;
  if (observation.observedValue !== undefined) described.observedValue = observation.observedValue;
  if (observation.observedUnit !== undefined) described.observedUnit = observation.observedUnit;
  if (observation.output !== undefined) described.output = observation.output;
  return described;
}
