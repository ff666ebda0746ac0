import { createConnection } from 'node:net';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';

type Line = Record<string, unknown>;

/**
 * A control-socket connection without the package's client: the test writes the lines itself
 * (bad ones too) and sees every line the primary sends.
 */
export class RawControl {
  readonly socket: Socket;
  readonly lines: Line[] = [];
  readonly closed: Promise<void>;
  readonly #waiters = new Set<() => void>();

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('error', () => {});
    createInterface({ input: socket }).on('line', (line) => {
      this.lines.push(JSON.parse(line) as Line);
      for (const wake of [...this.#waiters]) wake();
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.closed.then(() => {
      for (const wake of [...this.#waiters]) wake();
    });
  }

  /** Connects and sends `first` as the first line. */
  static open(path: string, first: string): Promise<RawControl> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.write(`${first}\n`);
        resolve(new RawControl(socket));
      });
    });
  }

  /** Sends one line and collects every line until the primary closes the connection. */
  static async exchange(path: string, line: string): Promise<Line[]> {
    const raw = await RawControl.open(path, line);
    await raw.closed;
    return raw.lines;
  }

  /** Stops reading: what the primary sends stays in the socket buffers. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  send(line: string): void {
    this.socket.write(`${line}\n`);
  }

  /** The first line (from `from` on) that matches; rejects if the connection closes first. */
  waitFor(match: (line: Line) => boolean, from = 0): Promise<Line> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.lines.slice(from).find(match);
        if (found) {
          this.#waiters.delete(check);
          resolve(found);
        } else if (this.socket.destroyed) {
          this.#waiters.delete(check);
          reject(new Error(`closed before the line came; got ${JSON.stringify(this.lines)}`));
        }
      };
      this.#waiters.add(check);
      check();
    });
  }
}
