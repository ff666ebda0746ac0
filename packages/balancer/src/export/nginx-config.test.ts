import { describe, expect, it } from 'vitest';
import type { BalancerConfig } from '../options.js';
import { directives, notesOf } from './export-test-helpers.js';
import { exportNginxConfig } from './nginx-config.js';

const a = 'http://127.0.0.1:3001';
const b = 'http://127.0.0.1:3002';
const c = 'http://127.0.0.1:3003';
const nginx = (config: Partial<BalancerConfig>, full = false) =>
  exportNginxConfig({ backends: [a, b], ...config }, { full });

describe('exportNginxConfig', () => {
  it('writes a server line per backend with its weight, max_fails, fail_timeout, max_conns and backup', () => {
    const text = nginx({
      backends: [
        { url: a, weight: 3, maxConns: 100 },
        { url: b, maxFails: 3, failTimeout: '30s' },
        { url: 'http://[::1]:3003', backup: true },
        'http://app.internal',
      ],
      failTimeout: '20s',
    });
    const upstream = directives(text.slice(text.indexOf('upstream koa_fleet {')));
    expect(upstream.slice(0, 8)).toEqual([
      'upstream koa_fleet {',
      'zone koa_fleet 64k;',
      'server 127.0.0.1:3001 weight=3 max_fails=1 fail_timeout=20s max_conns=100;',
      'server 127.0.0.1:3002 weight=1 max_fails=3 fail_timeout=30s;',
      'server [::1]:3003 weight=1 max_fails=1 fail_timeout=20s backup;',
      'server app.internal:80 weight=1 max_fails=1 fail_timeout=20s;',
      'keepalive 64;',
      'keepalive_timeout 4s;',
    ]);
  });

  it('names each strategy as nginx does', () => {
    const strategyLine = (strategy: BalancerConfig['strategy']) =>
      directives(nginx({ strategy })).find((line) =>
        /^(least_conn|random|hash) /.test(line.replace(/;$/, ' ')),
      );
    expect(strategyLine('round-robin')).toBeUndefined();
    expect(strategyLine('least-conn')).toBe('least_conn;');
    expect(strategyLine('random-two')).toBe('random two least_conn;');
    expect(strategyLine('hash')).toBe('hash $remote_addr consistent;');
    expect(strategyLine({ name: 'hash', key: 'ip' })).toBe('hash $remote_addr consistent;');
  });

  it('hashes on a cookie or a header, and on the address when a request has neither, as the balancer does', () => {
    const cookie = nginx({ strategy: { name: 'hash', key: 'cookie:sid' } });
    expect(directives(cookie)).toEqual(
      expect.arrayContaining([
        'map $cookie_sid $koa_fleet_hash_key {',
        '"" $remote_addr;',
        'default $cookie_sid;',
        'hash $koa_fleet_hash_key consistent;',
      ]),
    );
    const header = nginx({ strategy: { name: 'hash', key: 'header:X-User-Id' } });
    expect(directives(header)).toContain('map $http_x_user_id $koa_fleet_hash_key {');
    // A cookie name no nginx variable can hold is said, not dropped.
    const odd = nginx({ strategy: { name: 'hash', key: 'cookie:my-sid' } });
    expect(directives(odd)).toContain('hash $remote_addr consistent;');
    expect(notesOf(odd)).toContain(
      'nginx has no variable for the cookie my-sid (strategy.key): requests are hashed on the client address instead.',
    );
  });

  it('comments the backups out with hash and random-two, which nginx refuses them with, and says so', () => {
    const text = nginx({ backends: [a, { url: b, backup: true }], strategy: 'random-two' });
    expect(text).toContain('# server 127.0.0.1:3002 weight=1 max_fails=1 fail_timeout=10s backup;');
    expect(directives(text)).not.toContain(
      'server 127.0.0.1:3002 weight=1 max_fails=1 fail_timeout=10s backup;',
    );
    expect(notesOf(text)).toContain(
      'nginx has no backup servers with the random-two strategy: the backups are left commented out in the upstream, and nothing is sent to them.',
    );
    expect(
      directives(nginx({ backends: [a, { url: b, backup: true }], strategy: 'least-conn' })),
    ).toContain('server 127.0.0.1:3002 weight=1 max_fails=1 fail_timeout=10s backup;');
  });

  it('writes the retries as proxy_next_upstream with its tries and timeout', () => {
    const text = nginx({
      nextUpstream: ['http_503', 'error', 'non_idempotent', 'timeout', 'http_429'],
      tries: 2,
      nextUpstreamTimeout: '5s',
    });
    expect(directives(text)).toEqual(
      expect.arrayContaining([
        'proxy_next_upstream error timeout http_503 http_429 non_idempotent;',
        'proxy_next_upstream_tries 2;',
        'proxy_next_upstream_timeout 5s;',
      ]),
    );
    expect(directives(nginx({}))).toEqual(
      expect.arrayContaining([
        'proxy_next_upstream error timeout;',
        'proxy_next_upstream_tries 0;',
        'proxy_next_upstream_timeout 0;',
      ]),
    );
    expect(directives(nginx({ nextUpstream: ['off'] }))).toContain('proxy_next_upstream off;');
  });

  it('keeps backend connections alive and sets the timeouts, headers and client limits', () => {
    const text = nginx({
      keepAlive: { connections: 16, idleTimeout: '2s' },
      timeouts: { connect: '1500ms', headers: '30s', idle: '2m' },
      client: { maxHeaderSize: '32kb', maxBodySize: '10mb', headersTimeout: '10s' },
    });
    expect(directives(text)).toEqual(
      expect.arrayContaining([
        'keepalive 16;',
        'keepalive_timeout 2s;',
        'listen 8080;',
        'access_log off;',
        'client_max_body_size 10m;',
        'large_client_header_buffers 1 32k;',
        'client_header_timeout 10s;',
        'client_body_timeout 300s;',
        'client_body_buffer_size 64k;',
        'proxy_pass http://koa_fleet;',
        'proxy_http_version 1.1;',
        'proxy_set_header Upgrade $http_upgrade;',
        'proxy_set_header Connection $koa_fleet_connection;',
        'proxy_set_header Host $http_host;',
        'proxy_set_header X-Forwarded-For $remote_addr;',
        'proxy_set_header X-Forwarded-Proto $scheme;',
        'proxy_set_header X-Forwarded-Host $http_host;',
        'proxy_set_header Forwarded "for=$koa_fleet_forwarded_for$koa_fleet_forwarded_host;proto=$scheme";',
        'proxy_set_header Via $koa_fleet_via;',
        'add_header Via "1.1 koa-fleet" always;',
        'proxy_set_header X-Request-Id $koa_fleet_request_id;',
        'proxy_connect_timeout 1500ms;',
        'proxy_read_timeout 120s;',
        'proxy_send_timeout 120s;',
        'proxy_buffering off;',
      ]),
    );
    // Connection "" for a plain request keeps the upstream connection alive.
    expect(text).toContain(
      'map $http_upgrade $koa_fleet_connection {\n    default upgrade;\n    "" "";\n}',
    );
    expect(notesOf(text)).toContain(
      'proxy_read_timeout is one timeout for both timeouts.headers (30s) and timeouts.idle (120s): set to the larger.',
    );
  });

  it('keeps the forwarded headers of the hops trustProxy trusts only', () => {
    const text = nginx({ trustProxy: ['loopback', '10.0.0.0/8'] });
    expect(directives(text)).toEqual(
      expect.arrayContaining([
        'geo $koa_fleet_trusted {',
        'default 0;',
        '127.0.0.0/8 1;',
        '::1/128 1;',
        '10.0.0.0/8 1;',
        'map $koa_fleet_trusted $koa_fleet_x_forwarded_for {',
        '1 $proxy_add_x_forwarded_for;',
        'default $remote_addr;',
        'map "$koa_fleet_trusted:$http_x_forwarded_proto" $koa_fleet_x_forwarded_proto {',
        '"~^1:(.+)$" $1;',
        'default $scheme;',
        'proxy_set_header X-Forwarded-For $koa_fleet_x_forwarded_for;',
        'proxy_set_header Forwarded "${koa_fleet_forwarded_before}for=$koa_fleet_forwarded_for$koa_fleet_forwarded_host;proto=$scheme";',
      ]),
    );
    expect(directives(nginx({ trustProxy: true }))).toContain('default 1;');
  });

  it('leaves Via and the request id out when the config turns them off', () => {
    const text = directives(nginx({ via: false, requestId: false }));
    expect(text.filter((line) => /via|request_id|request-id/i.test(line))).toEqual([]);
    expect(directives(nginx({ requestId: 'x-correlation-id' }))).toContain(
      'proxy_set_header X-Correlation-Id $koa_fleet_request_id;',
    );
  });

  it('serves HTTPS with the certificate files, and redirects the plain port to it', () => {
    const text = nginx({
      port: 8443,
      host: '127.0.0.1',
      tls: { cert: '/etc/ssl/cert.pem', key: '/etc/ssl/key.pem', httpRedirectPort: 8080 },
    });
    expect(directives(text)).toEqual(
      expect.arrayContaining([
        'listen 127.0.0.1:8443 ssl;',
        'ssl_certificate /etc/ssl/cert.pem;',
        'ssl_certificate_key /etc/ssl/key.pem;',
        'listen 127.0.0.1:8080;',
        'return 308 https://$host:8443$request_uri;',
      ]),
    );
  });

  it('listens on both families for ::, and on the address it is given', () => {
    expect(directives(nginx({ host: '::' }))).toEqual(
      expect.arrayContaining(['listen 8080;', 'listen [::]:8080;']),
    );
    expect(directives(nginx({ host: '::1', port: 9000 }))).toContain('listen [::1]:9000;');
  });

  it('says what open source nginx cannot do, at the top', () => {
    const notes = notesOf(
      nginx({
        healthCheck: { path: '/health', interval: '5s' },
        slowStart: '30s',
        timeouts: { total: '90s' },
      }),
    );
    expect(notes).toEqual(
      expect.arrayContaining([
        'Active health checks (healthCheck) need nginx Plus (health_check uri=/health interval=5s fails=3 passes=2): left out, the backends have passive checks only (max_fails, fail_timeout).',
        'Slow start (slowStart, server … slow_start=30s) needs nginx Plus: left out, a backend that comes back gets its full weight at once.',
        'timeouts.total (90s, the whole exchange with its retries) has no nginx counterpart: left out.',
        'nginx does not read the drain signal (answers with Fleet-Draining: 1): a draining backend stays in rotation until its requests fail max_fails times.',
        'With no backend available nginx answers 502; koa-fleet answers 503 with Retry-After: 1.',
      ]),
    );
    expect(notesOf(nginx({})).join(' ')).not.toMatch(/nginx Plus/);
  });

  it('writes a snippet for the http context by default, and a whole nginx.conf with full', () => {
    const snippet = nginx({});
    expect(snippet).toMatch(/^# Exported by koa-fleet-balancer for nginx's http context/);
    expect(directives(snippet)).not.toContain('events {}');
    expect(notesOf(snippet)).toContain(
      "grace (10s): nginx's is worker_shutdown_timeout 10s, in the main context of nginx.conf (written with --full).",
    );
    const full = nginx({ grace: '30s' }, true);
    expect(directives(full).slice(0, 4)).toEqual([
      'worker_processes auto;',
      'worker_shutdown_timeout 30s;',
      'events {}',
      'http {',
    ]);
    expect(full.trimEnd().endsWith('}')).toBe(true);
    expect(notesOf(full).join(' ')).not.toMatch(/worker_shutdown_timeout/);
  });

  it('names the upstream and its variables after the name option', () => {
    const text = exportNginxConfig({ backends: [a, c] }, { name: 'shop' });
    expect(directives(text)).toEqual(
      expect.arrayContaining(['upstream shop {', 'zone shop 64k;', 'proxy_pass http://shop;']),
    );
    expect(text).not.toContain('koa_fleet');
  });
});
