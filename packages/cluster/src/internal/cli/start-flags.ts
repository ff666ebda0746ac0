import { Option } from 'commander';
import type { Command } from 'commander';
import type { FleetOptions } from '../../options.js';
import { DEFAULTS, MIN_MAX_MEMORY, WORKERS_DEFAULT } from '../../options.js';
import { parseEnvBoolean } from './env-boolean.js';

/** A `start` flag that sets one fleet option; its long flag and its variable are named after it. */
interface StartFlag {
  option: keyof FleetOptions;
  short?: string;
  /** The value's placeholder, e.g. `<duration>`; none for a switch. */
  value?: string;
  help: string;
  /** Shown as the default instead of the option's entry in DEFAULTS. */
  shownDefault?: string;
  /** The option's value from the flag's; `envText` is the variable's text when it came from there. */
  parse?(value: unknown, envText: string | undefined): unknown;
}

/** Counts and ports are numbers for the options resolver; other text it reports as given. */
const toNumber = (value: unknown) =>
  typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;

const START_FLAGS: readonly StartFlag[] = [
  {
    option: 'workers',
    short: '-w',
    value: '<n>',
    help: 'worker count',
    shownDefault: WORKERS_DEFAULT,
    parse: toNumber,
  },
  {
    option: 'port',
    short: '-p',
    value: '<port>',
    help: 'port, or first port with --per-worker-ports; 0 picks a free one',
    parse: toNumber,
  },
  { option: 'host', short: '-H', value: '<host>', help: 'address to listen on' },
  {
    option: 'perWorkerPorts',
    help: 'worker i listens on port + i (variable: 1/true/yes/on or 0/false/no/off)',
    // Commander turns any value of a switch's variable into `true`, so its text decides.
    parse: (value, envText) =>
      envText === undefined ? value === true : parseEnvBoolean('perWorkerPorts', envText),
  },
  { option: 'grace', value: '<duration>', help: 'time to finish in-flight requests on stop' },
  {
    option: 'drainWindow',
    value: '<duration>',
    help: 'time responses say Connection: close before idle sockets close',
  },
  {
    option: 'shutdownDelay',
    value: '<duration>',
    help: 'time a draining worker keeps serving (readiness 503) before it stops accepting',
  },
  { option: 'startTimeout', value: '<duration>', help: 'time a worker may take to listen' },
  {
    option: 'maxMemory',
    value: '<size>',
    help: `replace a worker whose RSS exceeds this, e.g. 512mb (at least ${MIN_MAX_MEMORY}; default: none)`,
  },
  { option: 'heartbeatTimeout', value: '<duration>', help: 'kill a worker silent this long' },
  {
    option: 'controlAckTimeout',
    value: '<duration>',
    help: 'with --pid-file: how long a draining worker waits for the control subscribers to acknowledge',
  },
  {
    option: 'logLevel',
    value: '<level>',
    help: 'fatal, error, warn, info, debug, trace or silent',
  },
];

/** `KOA_FLEET_DRAIN_WINDOW` for `drainWindow`. */
export function envVariable(option: string): string {
  return `KOA_FLEET_${option.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** Adds the flags of the fleet options, each with its variable and the API's default. */
export function addStartFlags(command: Command): Command {
  const defaults: Partial<Record<keyof FleetOptions, unknown>> = DEFAULTS;
  for (const flag of START_FLAGS) {
    const long = `--${flag.option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    const name = [flag.short, flag.value ? `${long} ${flag.value}` : long].filter(Boolean);
    // A switch shows no default: it is off unless given.
    const shown = flag.shownDefault ?? (flag.value ? defaults[flag.option] : undefined);
    const help = shown === undefined ? flag.help : `${flag.help} (default: ${String(shown)})`;
    command.addOption(new Option(name.join(', '), help).env(envVariable(flag.option)));
  }
  return command;
}

/** The fleet options the flags (or their variables) gave; resolveOptions checks them. */
export function optionsFromFlags(command: Command): FleetOptions {
  const values = command.opts<Record<string, unknown>>();
  const options: Record<string, unknown> = {};
  for (const { option, parse } of START_FLAGS) {
    const value = values[option];
    if (value === undefined) continue;
    const fromEnv = command.getOptionValueSource(option) === 'env';
    const envText = fromEnv ? (process.env[envVariable(option)] ?? '') : undefined;
    options[option] = parse ? parse(value, envText) : value;
  }
  return options as FleetOptions; // text as typed, which resolveOptions checks like the API's
}
