import { FleetError } from '@koa-fleet/errors';

/** `pnpm bench <name>` named a scenario the registry does not know. */
export class UnknownScenarioError extends FleetError {
  constructor(name: string, known: readonly string[]) {
    super('KF_BENCH_UNKNOWN_SCENARIO', `no scenario "${name}"; known: ${known.join(', ')}`);
  }
}

/** A contender's server did not come up; the message carries what it printed. */
export class ServerStartError extends FleetError {
  constructor(message: string, options?: ErrorOptions) {
    super('KF_BENCH_SERVER_START', message, options);
  }

  /** `contender "<name>" did not start: <why>`, with `error` as the cause. */
  static of(contender: string, error: unknown): ServerStartError {
    return new ServerStartError(`contender "${contender}" did not start: ${String(error)}`, {
      cause: error,
    });
  }
}

/** The load generator (wrk or autocannon) failed or printed something we cannot read. */
export class LoadToolError extends FleetError {
  constructor(message: string, options?: ErrorOptions) {
    super('KF_BENCH_LOAD_TOOL', message, options);
  }
}

/** A contender's url is not on 127.0.0.1; benchmarks never send load anywhere else. */
export class NotLoopbackError extends FleetError {
  constructor(url: string) {
    super('KF_BENCH_NOT_LOOPBACK', `refusing to load ${url}: benchmarks only target 127.0.0.1`);
  }
}

/** A stopped server left processes behind; the next measurement would share the CPU with them. */
export class ServerStopError extends FleetError {
  constructor(message: string) {
    super('KF_BENCH_SERVER_STOP', message);
  }
}

/** A scenario needs a rolling reload, and the contender's server offers none. */
export class ReloadUnsupportedError extends FleetError {
  constructor(url: string) {
    super('KF_BENCH_NO_RELOAD', `the server at ${url} has no reload(); give its contender one`);
  }
}

/** A scenario's headline names a load, comparison or count its results do not have. */
export class HeadlineNotFoundError extends FleetError {
  constructor(scenario: string, what: string) {
    super(
      'KF_BENCH_HEADLINE',
      `the headline of scenario "${scenario}" names ${what}, not in its results`,
    );
  }
}

/** A README's `<!-- bench:<name> -->` quote names no scenario with a headline, or is not closed. */
export class ReadmeQuoteError extends FleetError {
  constructor(message: string) {
    super('KF_BENCH_README_QUOTE', message);
  }
}

/** `pnpm bench --render` found no results.json to render the report from. */
export class NoResultsError extends FleetError {
  constructor(dir: string) {
    super('KF_BENCH_NO_RESULTS', `no results.json in ${dir}: run pnpm bench first`);
  }
}
