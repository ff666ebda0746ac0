import { MissingBinaryError } from '../errors.js';
import { findBinary } from './find-binary.js';

/** Anything with vitest's `ctx.skip()`. */
export interface Skippable {
  skip(note?: string): void;
}

/**
 * Finding a server binary a test needs (nginx, haproxy), and the one rule for when it is
 * missing: the test is skipped, except under `CI=true`, where it fails (a broken runner must not
 * pass silently).
 */
export class BinaryGate {
  readonly #name: string;
  readonly #installHint: string;

  constructor(name: string, installHint: string) {
    this.#name = name;
    this.#installHint = installHint;
  }

  /** Absolute path of the binary, or a MissingBinaryError with the install command. */
  binary(): string {
    const path = findBinary(this.#name);
    if (!path) throw new MissingBinaryError(this.#name, this.#installHint);
    return path;
  }

  available(): boolean {
    return findBinary(this.#name) !== undefined;
  }

  /** Whether the binary is there; throws under CI=true when not, else skips through `ctx`. */
  require(ctx?: Skippable): boolean {
    if (this.available()) return true;
    if (process.env.CI === 'true') this.binary();
    ctx?.skip(`${this.#name} is not installed`);
    return false;
  }
}
