import { memoryStore } from '../dist/index.js';
import { inProcessServers } from './support/in-process.js';
import { describeStoreSuite } from './support/store-suite.js';

// Two servers in one process sharing one in-memory store: the no-cluster default.
describeStoreSuite('in-memory', async () => ({
  start: async (config) => {
    const store = memoryStore(config.store);
    return inProcessServers(2, config, () => store);
  },
}));
