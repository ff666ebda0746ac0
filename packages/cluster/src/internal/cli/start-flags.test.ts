import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULTS } from '../../options.js';
import { addStartFlags, envVariable, optionsFromFlags } from './start-flags.js';

afterEach(() => vi.unstubAllEnvs());

function parse(args: string[]): Command {
  const command = addStartFlags(new Command('start').exitOverride());
  return command.parse(args, { from: 'user' });
}

describe('the start flags', () => {
  it('name each flag and variable after its option and show its default', () => {
    expect(envVariable('perWorkerPorts')).toBe('KOA_FLEET_PER_WORKER_PORTS');
    const drain = addStartFlags(new Command()).options.find((o) => o.long === '--drain-window');
    expect(drain).toMatchObject({
      envVar: 'KOA_FLEET_DRAIN_WINDOW',
      flags: '--drain-window <duration>',
    });
    expect(drain?.description).toContain(`(default: ${DEFAULTS.drainWindow})`);
  });

  it('map the flags given to fleet options, counts and ports as numbers', () => {
    const command = parse([
      '-w',
      '2',
      '--port',
      '3300',
      '--drain-window',
      '3s',
      '--per-worker-ports',
    ]);
    expect(optionsFromFlags(command)).toEqual({
      workers: 2,
      port: 3300,
      drainWindow: '3s',
      perWorkerPorts: true,
    });
    expect(optionsFromFlags(parse(['--workers', 'many']))).toEqual({ workers: 'many' });
  });

  it("read a switch's variable by its text, and a flag given on the command line over its variable", () => {
    vi.stubEnv('KOA_FLEET_PER_WORKER_PORTS', 'off');
    vi.stubEnv('KOA_FLEET_GRACE', '20s');
    expect(optionsFromFlags(parse([]))).toEqual({ perWorkerPorts: false, grace: '20s' });
    expect(optionsFromFlags(parse(['--grace', '5s']))).toMatchObject({ grace: '5s' });
    vi.stubEnv('KOA_FLEET_PER_WORKER_PORTS', 'maybe');
    expect(() => optionsFromFlags(parse([]))).toThrowError(
      'option "perWorkerPorts" must be 1, true, yes or on',
    );
  });
});
