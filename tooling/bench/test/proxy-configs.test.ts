import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haproxyConfig } from '../src/contenders/haproxy.js';
import { nginxProxyConfig } from '../src/contenders/nginx-proxy.js';
import { findExecutable } from '../src/internal/find-executable.js';

const backends = ['http://127.0.0.1:3001', 'http://127.0.0.1:3002/'];

describe('nginx proxy config', () => {
  const config = nginxProxyConfig(8080, backends);

  it('is an upstream of every backend with a keep-alive pool of 64', () => {
    expect(config).toMatch(
      /upstream backends \{\n\s+server 127\.0\.0\.1:3001;\n\s+server 127\.0\.0\.1:3002;\n\s+keepalive 64;/,
    );
    expect(config).toContain('listen 127.0.0.1:8080;');
  });

  it('speaks HTTP/1.1 to the backends without Connection: close, so the pool is used', () => {
    expect(config).toContain('proxy_http_version 1.1;');
    expect(config).toContain('proxy_set_header Connection "";');
  });

  it('sets the forwarded headers the koa-fleet balancer sets', () => {
    expect(config).toContain('proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
    expect(config).toContain('proxy_set_header X-Forwarded-Proto $scheme;');
    expect(config).toContain('proxy_set_header X-Forwarded-Host $host;');
  });
});

describe('HAProxy config', () => {
  const config = haproxyConfig(8080, backends);

  it('runs one thread, round robin over every backend, sharing idle backend connections', () => {
    expect(config).toMatch(/^global\n\s+nbthread 1$/m);
    expect(config).toContain('bind 127.0.0.1:8080');
    expect(config).toMatch(
      /balance roundrobin\n\s+server b1 127\.0\.0\.1:3001\n\s+server b2 127\.0\.0\.1:3002\n/,
    );
    expect(config).toContain('http-reuse always');
  });

  it('sets the forwarded headers the koa-fleet balancer sets', () => {
    expect(config).toContain('option forwardfor');
    expect(config).toContain('http-request set-header X-Forwarded-Proto http');
    expect(config).toContain('http-request set-header X-Forwarded-Host %[req.hdr(host)]');
  });

  it('passes `haproxy -c` where HAProxy is installed', (ctx) => {
    const haproxy = findExecutable('haproxy');
    if (!haproxy) ctx.skip('haproxy is not installed');
    const dir = mkdtempSync(join(tmpdir(), 'bench-haproxy-config-'));
    try {
      const file = join(dir, 'haproxy.cfg');
      writeFileSync(file, config);
      expect(execFileSync(haproxy!, ['-c', '-f', file], { encoding: 'utf8' })).toContain(
        'Configuration file is valid',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
