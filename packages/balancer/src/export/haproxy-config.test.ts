import { describe, expect, it } from 'vitest';
import type { BalancerConfig } from '../options.js';
import { directives, notesOf } from './export-test-helpers.js';
import { exportHaproxyConfig } from './haproxy-config.js';

const a = 'http://127.0.0.1:3001';
const b = 'http://127.0.0.1:3002';
const c = 'http://127.0.0.1:3003';
const haproxy = (config: Partial<BalancerConfig>, full = false) =>
  exportHaproxyConfig({ backends: [a, b], ...config }, { full });
const servers = (text: string) => directives(text).filter((line) => line.startsWith('server '));

describe('exportHaproxyConfig', () => {
  it('writes a server line per backend with its weight, maxconn, checks, slowstart and backup', () => {
    const text = haproxy({
      backends: [
        { url: a, weight: 3, maxConns: 100, slowStart: '30s' },
        { url: b, maxFails: 3, failTimeout: '30s' },
        { url: 'http://[::1]:3003', backup: true },
        { url: 'http://app.internal', backup: true, maxFails: 0 },
      ],
    });
    expect(servers(text)).toEqual([
      'server 127.0.0.1:3001 127.0.0.1:3001 weight 3 maxconn 100 check inter 10s rise 1 fall 1 observe layer4 error-limit 1 on-error mark-down slowstart 30s pool-max-conn 64 pool-purge-delay 4s',
      'server 127.0.0.1:3002 127.0.0.1:3002 weight 1 check inter 30s rise 1 fall 3 observe layer4 error-limit 3 on-error mark-down pool-max-conn 64 pool-purge-delay 4s',
      'server ::1:3003 [::1]:3003 weight 1 check inter 10s rise 1 fall 1 observe layer4 error-limit 1 on-error mark-down pool-max-conn 64 pool-purge-delay 4s backup',
      'server app.internal:80 app.internal:80 weight 1 pool-max-conn 64 pool-purge-delay 4s backup',
    ]);
    // Several backups share the load when every primary is down, as the balancer's do.
    expect(directives(text)).toContain('option allbackups');
    expect(notesOf(text)).toContain(
      "A request that finds every server at its maxconn waits in HAProxy's queue (timeout queue); koa-fleet answers it 503 at once.",
    );
  });

  it('checks every backend with GET path when healthCheck is on', () => {
    const text = haproxy({
      healthCheck: { path: '/health', interval: '5s', timeout: '500ms', rise: 3, fall: 2 },
    });
    expect(directives(text)).toEqual(
      expect.arrayContaining([
        'timeout check 500ms',
        'option httpchk',
        'http-check send meth GET uri /health',
        'http-check expect status 200-399',
        'http-check expect ! hdr name fleet-draining',
      ]),
    );
    expect(servers(text)[0]).toContain(
      ' check inter 5s rise 3 fall 2 observe layer4 error-limit 1 ',
    );
  });

  it('never takes a lone backend out, as the balancer does not', () => {
    const text = haproxy({ backends: [a] });
    expect(servers(text)).toEqual([
      'server 127.0.0.1:3001 127.0.0.1:3001 weight 1 pool-max-conn 64 pool-purge-delay 4s',
    ]);
    expect(notesOf(haproxy({ backends: [a], healthCheck: true }))).toContain(
      'HAProxy takes a lone server out when its checks fail; koa-fleet never takes out its only backend.',
    );
  });

  it('names each strategy as HAProxy does', () => {
    const balance = (strategy: BalancerConfig['strategy']) =>
      directives(haproxy({ strategy })).filter((line) =>
        /^(balance|hash-type|http-request set-var\(txn\.koa_fleet_hash_key)/.test(line),
      );
    expect(balance('round-robin')).toEqual(['balance roundrobin']);
    expect(balance('least-conn')).toEqual(['balance leastconn']);
    expect(balance('random-two')).toEqual(['balance random(2)']);
    expect(balance('hash')).toEqual(['balance source', 'hash-type consistent']);
    expect(balance({ name: 'hash', key: 'cookie:sid' })).toEqual([
      'http-request set-var(txn.koa_fleet_hash_key) req.cook(sid)',
      'http-request set-var(txn.koa_fleet_hash_key) src unless { var(txn.koa_fleet_hash_key) -m found }',
      'balance hash var(txn.koa_fleet_hash_key)',
      'hash-type consistent',
    ]);
    expect(balance({ name: 'hash', key: 'header:x-user' })[0]).toBe(
      'http-request set-var(txn.koa_fleet_hash_key) req.fhdr(x-user)',
    );
  });

  it('retries by retry-on and redispatch, every backend once unless tries says otherwise', () => {
    const retries = (config: Partial<BalancerConfig>) =>
      directives(haproxy({ backends: [a, b, c], ...config })).filter((line) =>
        /^(retries|retry-on|option redispatch|http-request disable-l7-retry)/.test(line),
      );
    expect(retries({})).toEqual([
      'retries 2',
      'retry-on conn-failure empty-response response-timeout',
      'http-request disable-l7-retry if { method POST PATCH LOCK }',
      'option redispatch 1',
    ]);
    expect(
      retries({
        tries: 2,
        nextUpstream: ['error', 'invalid_header', 'http_502', 'http_503', 'non_idempotent'],
      }),
    ).toEqual([
      'retries 1',
      'retry-on conn-failure empty-response junk-response 502 503',
      'option redispatch 1',
    ]);
    expect(retries({ nextUpstream: ['off'] })).toEqual(['retries 0', 'retry-on none']);
    const notes = notesOf(
      haproxy({ nextUpstream: ['error', 'http_429'], nextUpstreamTimeout: '5s' }),
    );
    expect(notes).toEqual(
      expect.arrayContaining([
        "HAProxy's retry-on has no 429: http_429 (nextUpstream) is left out.",
        "HAProxy's conn-failure (retry-on) covers refused connections and connect timeouts alike; nextUpstream lists only one of error and timeout.",
        'nextUpstreamTimeout (5s) has no HAProxy counterpart: left out, retries are bounded by their number only.',
      ]),
    );
  });

  it('observes layer 7 when nextUpstream counts 5xx answers as failures', () => {
    expect(servers(haproxy({ nextUpstream: ['error', 'http_503'] }))[0]).toContain(
      ' observe layer7 error-limit 1 on-error mark-down ',
    );
  });

  it("scales weights over 256 into HAProxy's range, and says so", () => {
    const text = haproxy({
      backends: [
        { url: a, weight: 1000 },
        { url: b, weight: 250 },
      ],
    });
    expect(servers(text).map((line) => /weight (\d+)/.exec(line)![1])).toEqual(['256', '64']);
    expect(notesOf(text)).toContain(
      "HAProxy's weights go up to 256: every weight is scaled by 256/1000 and rounded.",
    );
  });

  it('sets the timeouts, the 503 with Retry-After, and keeps connections for reuse', () => {
    const text = haproxy({
      timeouts: { connect: '2s', headers: '30s', idle: '90s' },
      client: { headersTimeout: '10s', requestTimeout: '120s', maxBodySize: '1mb' },
      retryAfter: '5s',
    });
    expect(directives(text)).toEqual(
      expect.arrayContaining([
        'timeout client 120s',
        'timeout http-request 10s',
        'http-request deny deny_status 413 if { req.hdr_val(content-length) gt 1048576 }',
        'timeout connect 2s',
        'timeout server 90s',
        'http-reuse safe',
        'http-error status 503 content-type "text/plain; charset=utf-8" string "no backend is available" hdr Retry-After 5',
        'no log',
        'default_backend koa_fleet',
      ]),
    );
  });

  it('removes the forwarded headers a client sends unless trustProxy trusts its hop, then adds its own', () => {
    const untrusted = directives(haproxy({}));
    expect(untrusted).toEqual(
      expect.arrayContaining([
        'http-request del-header X-Forwarded-For',
        'http-request del-header Forwarded',
        'option forwardfor',
        'http-request set-header X-Forwarded-Proto http unless { req.hdr(x-forwarded-proto) -m found }',
        'http-request add-header Via "%[req.ver] koa-fleet"',
        'http-response add-header Via "1.1 koa-fleet"',
        'http-request set-header X-Request-Id %[uuid] unless { req.fhdr(x-request-id) -m reg ^[!-~]{1,200}$ }',
      ]),
    );
    expect(untrusted.indexOf('http-request del-header X-Forwarded-For')).toBeLessThan(
      untrusted.indexOf('option forwardfor'),
    );
    const listed = directives(haproxy({ trustProxy: ['private'] }));
    expect(listed).toEqual(
      expect.arrayContaining([
        'acl koa_fleet_trusted src 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 fc00::/7',
        'http-request del-header X-Forwarded-For unless koa_fleet_trusted',
      ]),
    );
    expect(
      directives(haproxy({ trustProxy: true })).filter((line) => line.includes('del-header')),
    ).toEqual([]);
  });

  it('serves HTTPS with the certificate, redirects the plain port, and says where the key must be', () => {
    const text = haproxy({
      port: 8443,
      host: '127.0.0.1',
      tls: { cert: '/etc/ssl/site.pem', key: '/etc/ssl/private/site.key', httpRedirectPort: 8080 },
    });
    expect(directives(text)).toEqual(
      expect.arrayContaining([
        'bind 127.0.0.1:8443 ssl crt /etc/ssl/site.pem alpn http/1.1',
        'bind 127.0.0.1:8080',
        'http-request redirect location https://%[req.hdr(host),field(1,:)]:8443%[capture.req.uri] code 308 unless { ssl_fc }',
        'http-request set-header X-Forwarded-Proto https unless { req.hdr(x-forwarded-proto) -m found }',
      ]),
    );
    expect(notesOf(text)).toContain(
      "HAProxy reads the private key from the certificate's file, or from /etc/ssl/site.pem.key: put /etc/ssl/private/site.key there (or append it to the certificate).",
    );
    const beside = haproxy({ tls: { cert: '/etc/ssl/site.pem', key: '/etc/ssl/site.pem.key' } });
    expect(notesOf(beside).join(' ')).not.toMatch(/private key/);
  });

  it('writes a frontend and a backend by default, and global and defaults too with full', () => {
    const snippet = haproxy({});
    expect(
      directives(snippet).filter((line) => /^(global|defaults|frontend|backend)\b/.test(line)),
    ).toEqual(['frontend koa_fleet', 'backend koa_fleet']);
    expect(notesOf(snippet)).toContain(
      "grace (10s): HAProxy's is hard-stop-after 10s in the global section (written with --full).",
    );
    const full = haproxy({ client: { maxHeaderSize: '32kb' }, accessLog: true }, true);
    expect(directives(full).slice(0, 7)).toEqual([
      'global',
      'tune.bufsize 33792',
      'hard-stop-after 10s',
      'log stdout format raw local0',
      'defaults',
      'mode http',
      'frontend koa_fleet',
    ]);
    expect(directives(full)).toEqual(expect.arrayContaining(['log global', 'option httplog']));
  });
});
