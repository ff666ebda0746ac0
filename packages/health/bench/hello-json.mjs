// Hello-JSON app for the `health` benchmark scenario: the same app with the middleware (metrics
// on) or without it, so one run compares the two. Build first (it loads ../dist).
//   HEALTH=on|off PORT=<port> node bench/hello-json.mjs   → prints "listening <port>"
import Koa from 'koa';
import { health } from '../dist/index.js';

const app = new Koa();
if (process.env.HEALTH !== 'off') app.use(health({ metrics: true }));
app.use((ctx) => {
  ctx.body = { hello: 'world' };
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
