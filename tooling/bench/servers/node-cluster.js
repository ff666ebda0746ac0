// Raw node:cluster, as the seed tutorial teaches: the primary forks WORKERS workers, each
// serving the same Koa app on the shared port — koa-app.js's, or APP's (a file in this folder
// exporting a possibly async `createApp()`, e.g. APP=session-app.js).
import cluster from 'node:cluster';
import { listenFromEnv } from './koa-app.js';

const workers = Number(process.env.WORKERS ?? 2);

if (cluster.isPrimary) {
  let listening = 0;
  cluster.on('listening', () => {
    listening += 1;
    if (listening === workers) console.log(`ready pid=${process.pid} workers=${workers}`);
  });
  cluster.on('exit', (worker, code, signal) => {
    console.error(`worker ${worker.process.pid} died (${signal ?? code})`);
    if (listening < workers) process.exit(1); // a worker that cannot start: fail the start
  });
  for (let i = 0; i < workers; i++) cluster.fork();
} else {
  const { createApp } = await import(`./${process.env.APP ?? 'koa-app.js'}`);
  listenFromEnv(await createApp(), () => {});
}
