import { backendUrls } from './backend-urls.js';
import type { Contender, ContenderLabel, RunningServer, StartContext } from '../scenario.js';

/**
 * No proxy: the load goes straight to the first of the scenario's backends (helloBackends), the
 * most a proxy in front of one such process could reach. Starts and stops nothing.
 */
export function directToBackend({ name, description }: ContenderLabel): Contender {
  return {
    name,
    description,
    async start(context: StartContext): Promise<RunningServer> {
      const [first] = backendUrls(name, context);
      return { url: first!, stop: async () => {} };
    },
  };
}
