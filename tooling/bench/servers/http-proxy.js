// node-http-proxy (`http-proxy`) in front of BACKENDS, round robin, the way its users balance:
// a target per request. A keep-alive agent reuses backend connections (without one, http-proxy
// opens a connection per request); `xfwd` adds the X-Forwarded-* headers.
import { Agent, createServer } from 'node:http';
import httpProxy from 'http-proxy';
import { backendsFromEnv, host, port, printReady } from './proxy-env.js';

const backends = backendsFromEnv();
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const proxy = httpProxy.createProxyServer({ agent, xfwd: true });
proxy.on('error', (error, request, response) => {
  // A failed backend: answer 502, as the other contenders do.
  if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
  response.end(`bad gateway: ${error.message}`);
});

let next = 0;
createServer((request, response) => {
  const target = backends[next];
  next = (next + 1) % backends.length;
  proxy.web(request, response, { target });
}).listen(port, host, printReady);
