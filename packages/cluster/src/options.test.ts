import { fileURLToPath } from 'node:url';
import { InvalidOptionError, parseDuration } from '@koa-fleet/errors';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, resolveOptions } from './options.js';

const entry = fileURLToPath(new URL('../test/fixtures/hello.mjs', import.meta.url));

describe('resolveOptions', () => {
  it('fills defaults and parses durations and sizes', () => {
    const o = resolveOptions({ entry, workers: 2, grace: '5s', maxMemory: '256mb' });
    expect(o).toMatchObject({
      entry,
      workers: 2,
      port: 3000,
      host: '0.0.0.0',
      perWorkerPorts: false,
      grace: 5000,
      drainWindow: 1000,
      keepAliveTimeout: 65_000,
      headersTimeout: 66_000,
      maxMemory: 256 * 1024 ** 2,
      maxCrashes: 5,
      handleSignals: true,
    });
    expect(resolveOptions({ entry }).workers).toBeGreaterThanOrEqual(1);
  });

  it('resolves the control socket to an absolute path and waits 1 s for acks by default', () => {
    expect(resolveOptions({ entry })).toMatchObject({
      controlSocket: undefined,
      controlAckTimeout: 1000,
    });
    const o = resolveOptions({ entry, controlSocket: 'fleet.sock', controlAckTimeout: '250ms' });
    expect(o.controlSocket).toBe(`${process.cwd()}/fleet.sock`);
    expect(o.controlAckTimeout).toBe(250);
  });

  it.each([
    [{ workers: 0 }, 'option "workers" must be an integer from 1 to 1024, got 0'],
    [{ port: 70_000 }, 'option "port" must be an integer from 0 to 65535, got 70000'],
    [{ grace: 'forever' }, 'option "grace" must be a duration'],
    [{ maxMemory: 'lots' }, 'option "maxMemory" must be a size'],
    [{ maxMemory: '1kb' }, 'option "maxMemory" must be at least 32mb, the RSS a bare Node process'],
    [{ perWorkerPorts: 'yes' }, 'option "perWorkerPorts" must be true or false'],
    [
      { keepAliveTimeout: '10s', headersTimeout: '5s' },
      'option "headersTimeout" must be more than keepAliveTimeout',
    ],
    [
      { heartbeatInterval: '1s', heartbeatTimeout: '1s' },
      'option "heartbeatTimeout" must be a duration',
    ],
    [{ logLevel: 'loud' }, 'option "logLevel" must be one of'],
    [{ plugins: [{ name: 'x' }] }, 'option "plugins[0]" must be a plugin'],
    [{ workers: 2, port: 65_535, perWorkerPorts: true }, 'option "port" must be at most 65534'],
    [{ port: 0, perWorkerPorts: true }, 'option "port" must be a fixed port'],
    [{ worker: 2 }, 'option "worker" must be one of the known options'],
    [{ controlSocket: '' }, 'option "controlSocket" must be a non-empty string, got ""'],
    [{ controlAckTimeout: 0 }, 'option "controlAckTimeout" must be a duration'],
    [{ controlAckTimeout: '2m' }, 'option "controlAckTimeout" must be a duration'],
  ])('rejects %j naming the option', (bad, message) => {
    expect(() => resolveOptions({ entry, ...bad } as never)).toThrowError(InvalidOptionError);
    expect(() => resolveOptions({ entry, ...bad } as never)).toThrowError(message);
  });

  it('takes exactly one of entry and app', () => {
    expect(() => resolveOptions({ entry, app: () => ({}) as never })).toThrowError(
      'option "app" must be left out when "entry" is given',
    );
    expect(() => resolveOptions({ app: { port: 1 } as never })).toThrowError(
      'option "app" must be a Koa app or a factory (worker) => app, got {"port":1}',
    );
    expect(() => resolveOptions({})).toThrowError(
      'option "entry" must be a module path (or give "app")',
    );
  });

  it('rejects an entry that does not exist', () => {
    expect(() => resolveOptions({ entry: 'nope/app.mjs' })).toThrowError(
      'option "entry" must be the path of an existing module file, got "nope/app.mjs"',
    );
  });
});

describe('the option rules', () => {
  it('resolve every option of FleetOptions, with the defaults DEFAULTS shows', () => {
    const o = resolveOptions({ entry });
    expect(Object.keys(o).sort()).toEqual(
      [
        'app',
        'controlAckTimeout',
        'controlSocket',
        'crashWindow',
        'drainWindow',
        'entry',
        'grace',
        'handleSignals',
        'headersTimeout',
        'heartbeatInterval',
        'heartbeatTimeout',
        'host',
        'https',
        'ipcTimeout',
        'keepAliveTimeout',
        'logLevel',
        'logger',
        'maxCrashes',
        'maxMemory',
        'maxRestartDelay',
        'perWorkerPorts',
        'plugins',
        'port',
        'restartDelay',
        'shutdownDelay',
        'startTimeout',
        'workers',
      ].sort(),
    );
    for (const [key, value] of Object.entries(DEFAULTS)) {
      const resolved = o[key as keyof typeof o];
      // Durations are given as text ('10s') and resolved to milliseconds.
      const expected =
        typeof resolved === 'number' ? parseDuration(value as string | number) : value;
      expect([key, resolved]).toEqual([key, expected]);
    }
  });

  it('treat null like a left-out option only where there is a default', () => {
    expect(resolveOptions({ entry, grace: null } as never).grace).toBe(10_000);
    expect(() => resolveOptions({ entry, maxMemory: null } as never)).toThrowError(
      'option "maxMemory" must be a size',
    );
  });
});
