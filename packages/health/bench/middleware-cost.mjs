// The middleware's own CPU cost per request, measured in-process so a busy shared machine does
// not drown it: the same Koa contexts (real IncomingMessage/ServerResponse, no socket traffic)
// go through `next()` alone and through health() with metrics on. Build first (loads ../dist).
//   node bench/middleware-cost.mjs
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import Koa from 'koa';
import { health } from '../dist/index.js';

const app = new Koa();
const middleware = health({ shutdownSignals: [] });
const next = async () => {};
const contexts = Array.from({ length: 1000 }, () => {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = '/hello';
  return app.createContext(req, new ServerResponse(req));
});

async function nsPerRequest(handle, iterations = 200_000) {
  for (let i = 0; i < 50_000; i++) await handle(contexts[i % contexts.length]);
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await handle(contexts[i % contexts.length]);
  return Number(process.hrtime.bigint() - started) / iterations;
}

const costs = [];
for (let round = 0; round < 5; round++) {
  const alone = await nsPerRequest((ctx) => next(ctx));
  const through = await nsPerRequest((ctx) => middleware(ctx, next));
  costs.push(through - alone);
}
costs.sort((a, b) => a - b);
console.log(`health() middleware: ${Math.round(costs[2])} ns per request (median of 5)`);
middleware.close();
