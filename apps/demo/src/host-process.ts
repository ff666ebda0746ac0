// One host of `pnpm demo --hosts N`: a fleet's primary in a process of its own, with its own pid
// file, control socket and port range, forked by the demo's main process (host-fleet.ts). It
// plays a machine of its own: its sessions are in the Redis every host shares.
import { writeFileSync } from 'node:fs';
import type { Fleet } from '@koa-fleet/cluster';
import { startAppFleet } from './app-fleet.js';
import { isToHost, type FromHost } from './host-messages.js';

let fleet: Fleet | undefined;

function send(message: FromHost): void {
  process.send?.(message);
}

function start(name: string, pidFile: string, options: Parameters<typeof startAppFleet>[0]): void {
  writeFileSync(pidFile, `${process.pid}\n`);
  fleet = startAppFleet(options, pidFile, name);
  fleet.ready.then(
    (stats) => send({ type: 'ready', stats }),
    () => {}, // the fleet logged why; `closed` ends this process
  );
  // The fleet ended (stopped, or gave up on its own): this process ends with its code.
  void fleet.closed.then((code) => process.exit(code));
}

// The main process decides when to stop: a terminal's Ctrl-C reaches every process of the group
// at once, and this fleet must drain only once the balancer in front of it has stopped.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
// The main process is gone (even kill -9): stop the workers rather than leave them behind.
process.on('disconnect', () => void (fleet ? fleet.stop() : process.exit(1)));
process.on('message', (message) => {
  if (!isToHost(message)) return;
  if (message.type === 'start') start(message.name, message.pidFile, message.options);
  else if (message.type === 'reload') {
    void fleet?.reload().then(
      () => send({ type: 'reloaded', error: undefined }),
      (error: Error) => send({ type: 'reloaded', error: error.message }),
    );
  } else void fleet?.stop();
});
