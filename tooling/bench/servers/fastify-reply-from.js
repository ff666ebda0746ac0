// fastify 5 with @fastify/reply-from in front of BACKENDS: with several `base` URLs reply-from
// balances round robin over an undici BalancedPool, keep-alive, up to 64 connections per backend
// (nginx's `keepalive 64`). reply-from sets no X-Forwarded-* of its own; they are added here so
// every contender does the same work.
import replyFrom from '@fastify/reply-from';
import Fastify from 'fastify';
import { backendsFromEnv, host, port, printReady } from './proxy-env.js';

const app = Fastify({ logger: false });
await app.register(replyFrom, {
  base: backendsFromEnv(),
  undici: { connections: 64, pipelining: 1, keepAliveTimeout: 4_000 },
});

function forwarded(request, headers) {
  const previous = headers['x-forwarded-for'];
  const client = request.socket.remoteAddress ?? '';
  return {
    ...headers,
    'x-forwarded-for': previous ? `${previous}, ${client}` : client,
    'x-forwarded-proto': 'http',
    'x-forwarded-host': headers.host ?? '',
  };
}

app.all('/*', (request, reply) => reply.from(request.url, { rewriteRequestHeaders: forwarded }));
await app.listen({ port, host });
printReady();
