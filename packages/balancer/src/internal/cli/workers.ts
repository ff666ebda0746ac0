import type { AddressInfo } from 'node:net';
import type { KoaLike, WorkerContext } from '@koa-fleet/cluster';
import { applyServerLimits } from '../../edge/client-limits.js';
import { createRedirectServer } from '../../edge/https-redirect.js';
import { urlHost } from '../url-host.js';
import { BalancerStateError } from '../../errors.js';
import { balancerFleetPlugin } from '../../fleet/fleet-plugin.js';
import { joinFleet } from '../../fleet/fleet-worker.js';
import { createLogger } from '../../logging.js';
import { resolveOptions, type BalancerConfig } from '../../options.js';
import { plural } from '../plural.js';

/**
 * `--workers N`: the balancer on N processes, through @koa-fleet/cluster's public API. In app
 * mode the fleet forks this same command line as each worker, so every worker reads the same
 * flags and config file and serves a balancer of its own on the shared port (node:cluster hands
 * it the connections). The primary holds no balancer: it supervises, and owns the signals —
 * SIGTERM and SIGINT stop every worker gracefully and exit 0, SIGHUP replaces them one by one.
 * The primary holds the fleet's config (fleet/fleet-plugin.ts): every worker starts from it, and
 * SIGHUP, with `source` (the `--config` file read again), reloads it in every worker as well. A
 * backend one worker takes out for its failures is taken out by all. With `admin`, the admin
 * listener runs once, in the primary, and changes every worker's backends; a worker started
 * later catches up with the changes first.
 *
 * `failed` is told why the fleet could not start (it then exits 1 on its own).
 */
export async function runWorkers(
  config: BalancerConfig | undefined,
  workers: number,
  source: (() => Promise<BalancerConfig>) | undefined,
  failed: (error: unknown) => void,
): Promise<void> {
  // Only here: a balancer of one process never loads the cluster.
  const { startFleet } = await import('@koa-fleet/cluster');
  if (!config) {
    // A worker whose own read of the file failed: it serves the primary's config.
    startFleet({ app: (worker) => balancerApp(undefined, worker), workers });
    return;
  }
  const options = resolveOptions(config);
  const { port, host, graceMs, logging, backends, tls } = options;
  const fleet = startFleet({
    app: (worker) => balancerApp(config, worker),
    plugins: [balancerFleetPlugin(config, source, workers)],
    workers,
    port,
    host,
    // Each worker reads the files when it starts: SIGHUP's rolling reload renews them.
    https: tls && { cert: tls.certFile, key: tls.keyFile },
    grace: graceMs,
    logLevel: logging.level,
  });
  if (!fleet) return; // a worker: the fleet serves the app above
  let bound = port;
  try {
    const stats = await fleet.ready;
    bound = stats.workers.find((worker) => worker.state === 'ready')?.port ?? port;
  } catch (error) {
    failed(error);
    return;
  }
  const url = `${tls ? 'https' : 'http'}://${urlHost(host)}:${bound}`;
  const logger = logging.logger ?? createLogger(logging.level);
  logger.info(
    { url, workers },
    `balancing ${plural(backends.length, 'backend')} on ${url} with ${plural(workers, 'worker')}`,
  );
}

/**
 * What a fleet worker serves: the balancer's request listener, in the shape the cluster takes,
 * and on the worker's server its upgrade listener and client limits, as on a balancer's own. With
 * `tls.httpRedirectPort`, each worker also listens there (node:cluster shares the port).
 */
async function balancerApp(
  own: BalancerConfig | undefined,
  worker: WorkerContext,
): Promise<KoaLike> {
  const { balancer, config } = await joinFleet(worker.ipc, own, worker.logger);
  // Each process follows the fleets itself: a fleet acks a drain only once every one has.
  await balancer.followFleets();
  const { client, tls, host } = resolveOptions(config);
  worker.onServer((server) => {
    applyServerLimits(server, client);
    server.on('upgrade', balancer.upgradeCallback());
    const redirectPort = tls?.httpRedirectPort;
    if (redirectPort === undefined) return;
    const httpsPort = () => (server.address() as AddressInfo | null)?.port ?? worker.port;
    const redirect = createRedirectServer(httpsPort, client);
    redirect.once('error', (error) => {
      // A worker that cannot redirect is not the balancer it was asked to be: the fleet restarts
      // it, and gives up on a port that stays taken.
      worker.logger.fatal(
        { err: error },
        `cannot listen on ${host}:${redirectPort}: ${error.message}`,
      );
      process.exit(1);
    });
    redirect.listen(redirectPort, host);
  });
  return {
    callback: () => balancer.callback(),
    use: () => {
      throw new BalancerStateError('the balancer takes no Koa middleware');
    },
  };
}
