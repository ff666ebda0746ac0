// `pnpm demo`: the balancer on --port in front of a fleet of Koa workers on per-worker ports,
// with health, metrics and sessions (embedded in this primary, or in Redis with REDIS_URL).
// This process is the fleet's primary and supervises the balancer's process; Ctrl-C stops the
// balancer (requests in flight finish), then the fleet (workers drain), and exits 0.
import { InvalidOptionError, createLogger, isFleetError } from '@koa-fleet/cluster';
import { BalancerSupervisor } from './balancer-supervisor.js';
import { balancerConfig } from './balancer-config.js';
import { startAppFleet } from './app-fleet.js';
import { demoCommand, listenedPorts, type DemoOptions } from './demo-options.js';
import { handleDemoSignals } from './demo-signals.js';
import { checkPortsFree } from './port-check.js';
import { createRunDir } from './run-dir.js';
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
  const fleet = startAppFleet(options, runDir.pidFile);
  const balancer = new BalancerSupervisor(balancerConfig(options, runDir.pidFile), logger);

  let stopping: Promise<void> | undefined;
  /** Balancer first, so nothing new reaches a draining worker; then the fleet; then exit. */
  const stopAll = (code: number) =>
    (stopping ??= (async () => {
      await balancer.stop();
      await fleet.stop();
      runDir.remove();
      process.exit(code);
    })());
  handleDemoSignals(
    {
      stop: () => void stopAll(0),
      kill: () => {
        balancer.kill();
        fleet.kill();
        runDir.remove();
      },
      reload: () => void fleet.reload().catch(() => {}), // the fleet logs the outcome
    },
    logger,
  );
  // The fleet ended on its own (its entry cannot load, every slot gave up): it logged why.
  void fleet.closed.then((code) => void stopAll(code === 0 ? 1 : code));
  balancer.on('failed', () => void stopAll(1));

  try {
    const stats = await fleet.ready;
    const address = await balancer.start();
    console.log(
      startupBanner({
        options,
        balancer: address,
        balancerPid: balancer.pid ?? 0,
        stats,
        pidFile: runDir.pidFile,
      }),
    );
  } catch (error) {
    console.error(`koa-fleet-demo: ${isFleetError(error) ? error.message : String(error)}`);
    await stopAll(1);
  }
}

demoCommand(runDemo)
  .parseAsync()
  .catch((error: unknown) => exitWith(error, error instanceof InvalidOptionError ? 2 : 1));
