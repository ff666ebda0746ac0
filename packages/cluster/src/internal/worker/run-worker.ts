import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { FleetError } from '@koa-fleet/errors';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../logger.js';
import type { WorkerContext } from '../../worker-context.js';
import type { FatalPayload, HeartbeatPayload, ReadyPayload } from '../wire/control-messages.js';
import { drainServer } from './drain.js';
import { WorkerChannel } from './worker-channel.js';
import { LifecycleController } from './lifecycle-controller.js';
import { EventLoopLag } from './event-loop-lag.js';
import type { KoaLike } from '../../app-source.js';
import { describeError } from './load-entry.js';
import { RequestTracker } from './request-tracker.js';
import { userStack } from './user-stack.js';
import type { WorkerConfig } from '../wire/worker-config.js';

/**
 * Everything a worker process does: get the app, listen, report ready, send heartbeats, drain on
 * request or when the primary goes away. Used by the forked bootstrap (entry mode) and by
 * startFleet({ app }) when the user's own script runs as a worker.
 */
export function runWorker(
  config: WorkerConfig,
  getApp: (context: WorkerContext) => Promise<KoaLike>,
): void {
  const logger = createLogger(config.logLevel).child({
    workerId: config.id,
    generation: config.generation,
  });
  const lifecycle = new LifecycleController();
  const channel = new WorkerChannel(logger, config.ipcTimeout);
  const tracker = new RequestTracker();
  const lag = new EventLoopLag();
  let server: Server | undefined;
  let draining: Promise<void> | undefined;

  // A terminal's Ctrl-C reaches the whole process group; the primary orchestrates the stop.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => void drainAndExit('SIGTERM'));
  // The primary died (even kill -9): leave, so nothing is orphaned holding the port.
  process.on('disconnect', () => void drainAndExit('primary disconnected'));
  process.on('uncaughtException', (error) => void fail('runtime', error, true));
  channel.on('kf:control', (type) => {
    if (type === 'drain') void drainAndExit('asked by the primary');
  });

  void start();

  async function start(): Promise<void> {
    const serverListeners: ((server: Server) => void)[] = [];
    const context: WorkerContext = {
      id: config.id,
      port: config.port,
      generation: config.generation,
      logger,
      ipc: channel,
      lifecycle,
      onServer: (listener) => {
        serverListeners.push(listener);
      },
    };
    let app;
    try {
      app = await getApp(context);
    } catch (error) {
      const retryable = (error as { retryable?: boolean }).retryable !== false;
      return fail('load', error, retryable);
    }
    if (draining) return;
    try {
      server = config.https ? createHttpsServer(readPem(config.https)) : createServer();
    } catch (error) {
      return fail('load', error, false);
    }
    server.keepAliveTimeout = config.keepAliveTimeout;
    server.headersTimeout = config.headersTimeout;
    tracker.attach(server); // before the app's listener, so draining headers come first
    server.on('request', app.callback());
    try {
      for (const listener of serverListeners) listener(server);
    } catch (error) {
      return fail('load', error, true);
    }
    server.once('error', (error: NodeJS.ErrnoException) => {
      const retryable = error.code !== 'EADDRINUSE' && error.code !== 'EACCES';
      void fail('listen', error, retryable);
    });
    server.listen({ port: config.port, host: config.host }, () => {
      if (draining) return;
      lifecycle.set('ready');
      // The bound port, not the configured one: with port 0 the system picked it.
      const port = (server?.address() as AddressInfo | null)?.port ?? config.port;
      logger.info(
        { port },
        `worker ${process.pid} started (slot ${config.id}) on ${config.host}:${port}`,
      );
      channel.control('ready', { port } satisfies ReadyPayload);
      heartbeat();
      setInterval(heartbeat, config.heartbeatInterval).unref();
    });
  }

  function heartbeat(): void {
    channel.control('heartbeat', load());
  }

  function load(): HeartbeatPayload {
    return {
      requests: tracker.requests,
      inFlight: tracker.inFlight,
      rssBytes: process.memoryUsage.rss(),
      eventLoopLagMs: lag.read(),
    };
  }

  function drainAndExit(reason: string): Promise<void> {
    draining ??= (async () => {
      logger.info({ reason, inFlight: tracker.inFlight }, 'draining');
      lifecycle.set('draining');
      channel.control('draining');
      if (server && config.shutdownDelay > 0) {
        // Still accepting and answering normally: only readiness and the drain header say
        // "draining", so probes and balancers stop routing here before a connection is refused.
        tracker.announceDraining();
        await new Promise((resolve) => setTimeout(resolve, config.shutdownDelay));
      }
      tracker.startDraining();
      const outcome = server ? await drainServer(server, config) : 'clean';
      if (outcome === 'forced') {
        logger.warn({ grace: config.grace }, 'grace period over: cut the remaining connections');
      }
      logger.info({ outcome, requests: tracker.requests }, 'worker stopped');
      await channel.controlFlushed('heartbeat', load()); // final numbers for the fleet totals
      process.exit(0);
    })();
    return draining;
  }

  async function fail(
    phase: FatalPayload['phase'],
    error: unknown,
    retryable: boolean,
  ): Promise<void> {
    const err = error as NodeJS.ErrnoException;
    const message =
      phase === 'listen' && err.code === 'EADDRINUSE'
        ? `cannot listen on ${config.host}:${config.port}: the address is already in use`
        : describeError(error);
    // A failure restarting cannot help is reported by the primary, once for the whole fleet.
    if (retryable) logger.fatal({ err: error, phase }, message);
    else logger.debug({ err: error, phase }, message);
    const stack = userStack(error instanceof FleetError && error.cause ? error.cause : error);
    const payload: FatalPayload = {
      phase,
      message,
      retryable,
      ...(err.code ? { code: err.code } : {}),
      ...(stack ? { stack } : {}),
    };
    await channel.controlFlushed('fatal', payload);
    process.exit(1);
  }
}

/** The certificate files read now: a worker started by a reload gets renewed ones. */
function readPem(files: NonNullable<WorkerConfig['https']>): { cert: Buffer; key: Buffer } {
  return { cert: readFileSync(files.cert), key: readFileSync(files.key) };
}
