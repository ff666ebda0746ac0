// `pnpm demo:load`: a bounded load through the balancer that shows how it spreads the requests
// over the worker processes, against the weights it is configured with, and the latency.
import autocannon from 'autocannon';
import { Command, Option } from 'commander';
import { InvalidOptionError, checkInteger, isFleetError } from '@koa-fleet/errors';
import { balancerWeights } from './balancer-weights.js';
import { integerFlag } from './flag-value.js';
import { LoadTally } from './load-tally.js';
import { loadReport } from './load-report.js';

interface LoadFlags {
  url: string;
  adminUrl: string;
  duration: string;
  connections: string;
}

async function runLoad(flags: LoadFlags): Promise<void> {
  const duration = checkInteger('--duration', integerFlag(flags.duration), { min: 1, max: 300 });
  const connections = checkInteger('--connections', integerFlag(flags.connections), {
    min: 1,
    max: 1000,
  });
  const url = checkUrl('--url', flags.url);
  const weights = await balancerWeights(checkUrl('--admin-url', flags.adminUrl));
  const tally = new LoadTally();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration,
        requests: [
          {
            method: 'GET',
            path: '/',
            headers: { accept: 'application/json' },
            onResponse: (status, body) => tally.record(status, body),
          },
        ],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    // The bar goes to stderr, and only to a person watching: piped output is the table alone.
    if (process.stderr.isTTY) {
      autocannon.track(instance, {
        renderProgressBar: true,
        renderResultsTable: false,
        renderLatencyTable: false,
      });
    }
  });
  console.log(
    loadReport({
      workers: tally.workers(),
      other: tally.other,
      weights,
      errors: result.errors + result.timeouts,
      durationSeconds: duration,
      latency: result.latency,
    }),
  );
  if (tally.workers().length === 0) process.exitCode = 1;
}

function checkUrl(flag: string, text: string): string {
  if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) {
    throw new InvalidOptionError(flag, 'an http:// URL', text);
  }
  return text;
}

function fail(error: unknown): never {
  const message =
    error instanceof InvalidOptionError
      ? `${error.option} must be ${error.expected}, got ${error.got}`
      : isFleetError(error) || error instanceof Error
        ? error.message
        : String(error);
  console.error(`koa-fleet-demo load: ${message}`);
  process.exit(error instanceof InvalidOptionError ? 2 : 1);
}

await new Command('koa-fleet-demo-load')
  .description(
    "A bounded load through the demo's balancer: requests per worker against the weights.",
  )
  .addOption(new Option('--url <url>', 'the balancer').default('http://127.0.0.1:8080'))
  .addOption(
    new Option('--admin-url <url>', "the balancer's admin API").default('http://127.0.0.1:9090'),
  )
  .addOption(new Option('--duration <seconds>', 'how long the load runs').default('10'))
  .addOption(new Option('--connections <n>', 'concurrent connections').default('10'))
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
  .action(runLoad)
  .parseAsync()
  .catch(fail);
