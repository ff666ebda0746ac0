/**
 * The worker bootstrap the primary forks (cluster.setupPrimary({ exec })) in entry mode: it reads
 * its WorkerConfig from the environment and serves the app the entry module exports.
 */
import { loadEntry } from './internal/worker/load-entry.js';
import { decodeWorkerConfig } from './internal/wire/worker-config.js';
import { runWorker } from './internal/worker/run-worker.js';

const config = decodeWorkerConfig(process.env);
runWorker(config, (context) => loadEntry(config.entry, context));
