import { describeWithHaproxy, describeWithNginx } from '@koa-fleet/testkit';
import { exportHaproxyConfig, exportNginxConfig, type BalancerConfig } from '@koa-fleet/balancer';
import { expect, it } from 'vitest';
import { certificateDir, makeCertificate } from './support/certificates.js';
import { haproxyAccepts, keyBesideCertificate, nginxAccepts } from './support/engine-check.js';

const a = 'http://127.0.0.1:3001';
const b = 'http://127.0.0.1:3002';
const certificate = makeCertificate(certificateDir(), 'export');
keyBesideCertificate(certificate.cert, certificate.key);

/** Configs that between them use every translated option. */
const CONFIGS: Record<string, BalancerConfig> = {
  'the defaults': { backends: [a, b] },
  'weights, backups, limits, checks and retries': {
    backends: [
      { url: a, weight: 5, maxConns: 100, maxFails: 3, failTimeout: '30s' },
      { url: b, weight: 2, slowStart: '20s' },
      { url: 'http://[::1]:3003', backup: true },
      { url: 'http://localhost:3004', backup: true },
    ],
    strategy: 'least-conn',
    healthCheck: { path: '/readyz', interval: '3s', timeout: '500ms', rise: 3, fall: 2 },
    nextUpstream: [
      'error',
      'timeout',
      'invalid_header',
      'http_502',
      'http_503',
      'http_429',
      'non_idempotent',
    ],
    tries: 3,
    nextUpstreamTimeout: '10s',
    timeouts: { connect: '1500ms', headers: '20s', idle: '90s', total: '5m' },
    keepAlive: { connections: 8, idleTimeout: '3s' },
    client: { maxHeaderSize: '32kb', maxBodySize: '5mb', headersTimeout: '15s', requestTimeout: 0 },
    trustProxy: ['loopback', '10.0.0.0/8', '2001:db8::/32'],
    requestId: 'x-correlation-id',
    accessLog: true,
    grace: '30s',
    port: 8081,
  },
  'a hash on a cookie, every proxy trusted, no Via and no request id': {
    backends: [a, { url: b, weight: 300 }],
    strategy: { name: 'hash', key: 'cookie:session_id', virtualNodes: 100 },
    trustProxy: true,
    via: false,
    requestId: false,
    nextUpstream: ['off'],
  },
  'a hash on a header, with backups nginx cannot take': {
    backends: [a, { url: b, backup: true }],
    strategy: { name: 'hash', key: 'header:x-tenant' },
    host: '::',
  },
  'random two with a backup, on one address': {
    backends: [a, b, { url: 'http://127.0.0.1:3005', backup: true }],
    strategy: 'random-two',
    host: '127.0.0.1',
    port: 9000,
  },
  'HTTPS with a redirect port': {
    backends: [a, b],
    tls: { cert: certificate.cert, key: `${certificate.cert}.key`, httpRedirectPort: 8080 },
    port: 8443,
  },
  'one backend with active checks': { backends: [a], healthCheck: true },
};

const cases = Object.entries(CONFIGS).flatMap(([name, config]) =>
  [false, true].map((full) => ({ name: `${name}${full ? ' (full)' : ''}`, config, full })),
);

describeWithNginx('nginx -t', () => {
  it.each(cases)('accepts the export of $name', async ({ config, full }) => {
    const text = exportNginxConfig(config, { full });
    const { ok, output } = await nginxAccepts(text, { full });
    expect(ok, `${output}\n${text}`).toBe(true);
    expect(output).not.toMatch(/\[warn\]/);
  });
});

describeWithHaproxy('haproxy -c', () => {
  it.each(cases)('accepts the export of $name', async ({ config, full }) => {
    const text = exportHaproxyConfig(config, { full });
    const { ok, output } = await haproxyAccepts(text, { full });
    expect(ok, `${output}\n${text}`).toBe(true);
    expect(output, text).not.toMatch(/\[(WARNING|ALERT)\]/);
  });
});
