// Lost updates on one session with this store: 2 node:cluster workers sharing one redis-server,
// one cookie, N requests from C concurrent keep-alive connections, each adding 1 to the counter
// `n` — as plain `ctx.session.n++` (last writer wins), with `incr()`, and as `ctx.session.n++`
// under `conflicts: 'compare-and-set'`. Lost = requests answered 200 − the counter read back.
//
//   pnpm turbo run build --filter=@koa-fleet/session...
//   node packages/session/bench/lost-updates.mjs [--requests 2000] [--connections 64] [--rounds 3]
//
// Needs redis-server on PATH (started on a free port, stopped at the end). A count, not a timing:
// speed is measured in tooling/bench.
import cluster from 'node:cluster';
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { parseArgs } from 'node:util';

const MODES = ['n++', 'incr()', 'compare-and-set'];

if (cluster.isPrimary) await primary();
else await worker();

async function primary() {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '2000' },
      connections: { type: 'string', default: '64' },
      rounds: { type: 'string', default: '3' },
    },
  });
  const requests = Number(values.requests);
  const connections = Number(values.connections);
  const rounds = Number(values.rounds);
  const redisPort = await freePort();
  const redis = spawn(
    'redis-server',
    ['--port', String(redisPort), '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  try {
    await waitForPort(redisPort);
    console.log(
      `${requests} requests, ${connections} connections, one session, 2 workers, one redis-server`,
    );
    console.log('mode              round  200    409   other  counter  lost (of the 200s)');
    for (const mode of MODES) {
      for (let round = 1; round <= rounds; round++) {
        const result = await measure(mode, redisPort, requests, connections);
        const lost = result.ok - result.counter;
        console.log(
          [
            mode.padEnd(17),
            String(round).padEnd(6),
            String(result.ok).padEnd(6),
            String(result.conflicts).padEnd(5),
            String(result.other).padEnd(6),
            String(result.counter).padEnd(8),
            `${lost} (${((100 * lost) / Math.max(result.ok, 1)).toFixed(1)} %)`,
          ].join(' '),
        );
      }
    }
  } finally {
    redis.kill();
  }
}

async function measure(mode, redisPort, requests, connections) {
  const port = await freePort();
  const workers = [0, 1].map(() =>
    cluster.fork({ MODE: mode, PORT: String(port), REDIS_PORT: String(redisPort) }),
  );
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('listening', resolve))));
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  try {
    const start = await get(agent, port, '/start');
    const cookie = start.cookies.map((line) => line.split(';')[0]).join('; ');
    let sent = 0;
    const counts = { ok: 0, conflicts: 0, other: 0 };
    const loop = async () => {
      while (sent < requests) {
        sent++;
        const { status } = await get(agent, port, '/n', cookie);
        if (status === 200) counts.ok++;
        else if (status === 409) counts.conflicts++;
        else counts.other++;
      }
    };
    await Promise.all(Array.from({ length: connections }, loop));
    const read = await get(agent, port, '/read', cookie);
    return { ...counts, counter: JSON.parse(read.body).n };
  } finally {
    agent.destroy();
    await Promise.all(
      workers.map((w) => new Promise((resolve) => (w.once('exit', resolve), w.kill()))),
    );
  }
}

function get(agent, port, path, cookie) {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: '127.0.0.1', port, path, agent, headers: cookie ? { cookie } : {} },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode,
            body,
            cookies: response.headers['set-cookie'] ?? [],
          }),
        );
      },
    );
    request.on('error', reject);
  });
}

async function worker() {
  const { default: Koa } = await import('koa');
  const { Redis } = await import('ioredis');
  const { incr, recommendedRedisOptions, redisStore, session } = await import('../dist/index.js');
  const mode = process.env.MODE;
  const client = new Redis(Number(process.env.REDIS_PORT), '127.0.0.1', {
    ...recommendedRedisOptions,
    lazyConnect: true,
  });
  client.on('error', (error) => console.error('redis:', error.message));
  await client.connect();
  const store = redisStore({
    client,
    ...(mode === 'compare-and-set' ? { conflicts: 'compare-and-set' } : {}),
  });
  const app = new Koa();
  app.keys = ['lost-updates'];
  app.use(session(app, { store }));
  app.use(async (ctx) => {
    if (ctx.path === '/start') {
      ctx.session.started = true;
      ctx.body = { ok: true };
    } else if (ctx.path === '/n') {
      if (mode === 'incr()') {
        ctx.body = { n: await incr(ctx, 'n') };
      } else {
        ctx.session.n = (ctx.session.n ?? 0) + 1;
        ctx.body = { n: ctx.session.n };
      }
    } else if (ctx.path === '/read') {
      ctx.body = { n: ctx.session.n ?? 0 };
    } else {
      ctx.status = 404;
    }
  });
  app.listen(Number(process.env.PORT), '127.0.0.1');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 200; i++) {
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.end(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`redis-server did not open port ${port}`);
}
