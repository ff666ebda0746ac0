// `pnpm demo`: the balancer on --port in front of a fleet of Koa workers on per-worker ports,
// with health, metrics and sessions (embedded in this primary, or in Redis with REDIS_URL).
// This process is the fleet's primary (with --hosts N: it runs N hosts' primaries) and
// supervises the balancer's process; Ctrl-C stops the balancer (requests in flight finish), then
// the fleets (workers drain), and exits 0.
import { InvalidOptionError, createLogger, isFleetError } from '@koa-fleet/cluster';
import { BalancerSupervisor } from './balancer-supervisor.js';
import { balancerConfig } from './balancer-config.js';
import { allReady, firstClosed, reloadAll, startDemoFleets } from './demo-fleets.js';
import { demoCommand, listenedPorts, type DemoOptions } from './demo-options.js';
import { handleDemoSignals } from './demo-signals.js';
import { checkPortsFree } from './port-check.js';
import { createRunDir } from './run-dir.js';
import { RedisRequiredError } from './errors.js';
import { startupBanner } from './startup-banner.js';

const logger = createLogger('info', 'koa-fleet-demo');

/** One line, never a stack trace: what went wrong and, for a bad flag, which one. */
function exitWith(error: unknown, code: 1 | 2): never {
  const message =
    error instanceof InvalidOptionError
      ? `${error.option} must be ${error.expected}, got ${error.got}`
      : error instanceof Error
        ? error.message
        : String(error);
  console.error(`koa-fleet-demo: ${message}`);
  process.exit(code);
}

async function runDemo(options: DemoOptions): Promise<void> {
  await checkPortsFree(listenedPorts(options), options.host).catch((error) => exitWith(error, 2));
  const runDir = createRunDir();
  const fleets = startDemoFleets(options, runDir);
  const balancer = new BalancerSupervisor(balancerConfig(options, fleets), logger);

  let stopping: Promise<void> | undefined;
  /** Balancer first, so nothing new reaches a draining worker; then the fleets; then exit. */
  const stopAll = (code: number) =>
    (stopping ??= (async () => {
      await balancer.stop();
      await Promise.all(fleets.map(({ fleet }) => fleet.stop()));
      runDir.remove();
      process.exit(code);
    })());
  handleDemoSignals(
    {
      stop: () => void stopAll(0),
      kill: () => {
        balancer.kill();
        for (const { fleet } of fleets) fleet.kill();
        runDir.remove();
      },
      reload: () => void reloadAll(fleets).catch(() => {}), // each fleet logs the outcome
    },
    logger,
  );
  // A fleet ended on its own (its entry cannot load, every slot gave up): it logged why.
  void firstClosed(fleets).then((code) => void stopAll(code === 0 ? 1 : code));
  balancer.on('failed', () => void stopAll(1));

  try {
    const stats = await allReady(fleets);
    const address = await balancer.start();
    console.log(
      startupBanner({
        options,
        balancer: address,
        balancerPid: balancer.pid ?? 0,
        fleets: fleets.map((fleet, i) => ({ ...fleet, stats: stats[i]! })),
      }),
    );
  } catch (error) {
    console.error(`koa-fleet-demo: ${isFleetError(error) ? error.message : String(error)}`);
    await stopAll(1);
  }
}

demoCommand(runDemo)
  .parseAsync()
  .catch((error: unknown) =>
    exitWith(
      error,
      error instanceof InvalidOptionError || error instanceof RedisRequiredError ? 2 : 1,
    ),
  );
