// The balancer's own process, forked and supervised by the demo's primary (balancer-supervisor.ts):
// a crash here is restarted there, and never takes the fleet down with it.
import { createBalancer, type Balancer, type BalancerConfig } from '@koa-fleet/balancer';
import { createLogger } from '@koa-fleet/cluster';
import { isToBalancer, type FromBalancer } from './balancer-messages.js';

const logger = createLogger('warn', 'balancer');
let balancer: Balancer | undefined;

/** Resolves once the message is handed to the channel, so an exit right after loses nothing. */
function send(message: FromBalancer): Promise<void> {
  return new Promise((resolve) => {
    if (process.send) process.send(message, () => resolve());
    else resolve();
  });
}

async function start(config: BalancerConfig): Promise<void> {
  try {
    balancer = createBalancer({ ...config, logger });
    await send({ type: 'listening', address: await balancer.listen() });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    await send({ type: 'failed', code, message });
    process.exit(1);
  }
}

let stopping: Promise<void> | undefined;
/** Finishes the requests in flight (the balancer's `grace`), then exits 0. */
function stop(): Promise<void> {
  stopping ??= (balancer?.close() ?? Promise.resolve()).then(() => process.exit(0));
  return stopping;
}

// The primary decides when to stop: a terminal's Ctrl-C reaches every process of the group at
// once, and the balancer must outlive it until the primary says so, to finish what is in flight.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
// The primary is gone (even kill -9): nothing would supervise this process any more.
process.on('disconnect', () => void stop());
process.on('message', (message) => {
  if (!isToBalancer(message)) return;
  if (message.type === 'start') void start(message.config);
  else void stop();
});
// A bug is a crash the primary restarts from; one line, not a stack trace in the user's terminal.
process.on('uncaughtException', (error: Error & { code?: string }) => {
  logger.error({ code: error.code }, `balancer crashed: ${error.message}`);
  process.exit(1);
});
