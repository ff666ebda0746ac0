import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { createInterface } from 'node:readline';
import type { ControlReply } from '@koa-fleet/contracts';
import type { Logger } from 'pino';

export interface ControlTarget {
  reload(): Promise<void>;
  stop(): Promise<void>;
  readonly closed: Promise<number>;
}

/**
 * The primary's end of the control socket (`@koa-fleet/contracts`' control-socket protocol), so
 * `koa-fleet reload` learns whether the reload worked: a signal cannot answer.
 */
export interface ControlServer {
  server: Server;
  /** Resolves once every answer is delivered, so the primary does not exit mid-reply. */
  idle(): Promise<void>;
}

export function startControlServer(
  path: string,
  target: ControlTarget,
  logger: Logger,
): Promise<ControlServer> {
  rmSync(path, { force: true }); // a socket file left by a primary that was killed
  let answering = 0;
  const waiters: Array<() => void> = [];
  const server = createServer((socket) => {
    socket.on('error', () => {}); // the client went away; nothing to answer
    createInterface({ input: socket }).once('line', (line) => {
      answering++;
      socket.once('close', () => {
        if (--answering === 0) waiters.splice(0).forEach((wake) => wake());
      });
      void answer(line, target).then((reply) => socket.end(`${JSON.stringify(reply)}\n`));
    });
  });
  const idle = () =>
    answering === 0 ? Promise.resolve() : new Promise<void>((r) => waiters.push(r));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.unref(); // the control socket alone must not keep a stopped primary alive
      logger.debug({ path }, 'control socket listening');
      resolve({ server, idle });
    });
  });
}

async function answer(line: string, target: ControlTarget): Promise<ControlReply> {
  let command: unknown;
  try {
    command = (JSON.parse(line) as { command?: unknown }).command;
  } catch {
    return { ok: false, message: 'not JSON' };
  }
  try {
    if (command === 'reload') {
      await target.reload();
      return { ok: true };
    }
    if (command === 'stop') {
      await target.stop();
      return { ok: true, exitCode: await target.closed };
    }
    return { ok: false, message: `unknown command ${JSON.stringify(command)}` };
  } catch (error) {
    const err = error as { code?: string; message?: string };
    return {
      ok: false,
      message: err.message ?? String(error),
      ...(err.code ? { code: err.code } : {}),
    };
  }
}
