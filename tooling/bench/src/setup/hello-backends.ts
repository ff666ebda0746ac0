import { checkInteger } from '@koa-fleet/errors';
import { freePort } from '@koa-fleet/testkit';
import { BACKENDS_ENV } from '../contenders/backend-urls.js';
import { nodeServer } from '../contenders/node-server.js';
import { serverEntry } from '../contenders/server-entry.js';
import type { RunningServer, ScenarioFixture } from '../scenario.js';

const backend = nodeServer({
  name: 'backend',
  description: 'hello-JSON Koa process (servers/single.js)',
  entry: serverEntry('single.js'),
});

/**
 * A scenario `setup` that starts `count` hello-JSON Koa processes (the bench's shared app, one
 * process each) on free ports, for every proxy contender to balance over. They run for the
 * whole scenario: a proxy keeps no state in them that the next contender could inherit.
 */
export function helloBackends(count: number): () => Promise<ScenarioFixture> {
  checkInteger('count', count, { min: 1 });
  return async () => {
    const started: RunningServer[] = [];
    const stop = async (): Promise<void> => {
      await Promise.all(started.map((server) => server.stop()));
    };
    try {
      // One after the other: freePort() reserves nothing, so the next call must come once the
      // backend before it has bound its port.
      for (let i = 0; i < count; i++) started.push(await backend.start({ port: await freePort() }));
    } catch (error) {
      await stop();
      throw error;
    }
    return { env: { [BACKENDS_ENV]: started.map((server) => server.url).join(',') }, stop };
  };
}
