import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { startPrimary } from './helpers/fleet.js';
import type { NodeProcess } from './helpers/node-process.js';
import { freePort } from './helpers/ports.js';

const running: NodeProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

/** A self-signed certificate for 127.0.0.1 (`CN=<name>`), made by openssl. */
function certificate(dir: string, name: string) {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
      .concat(['-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${name}`])
      .concat(['-addext', 'subjectAltName=IP:127.0.0.1']),
    { stdio: 'ignore' },
  );
  return { cert, key, pem: readFileSync(cert) };
}

function getJson(port: number, ca: Buffer): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', ca, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => resolve(JSON.parse(body) as Record<string, unknown>));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The raw answer to an upgrade request over TLS. */
function upgrade(port: number, ca: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca }, () => {
      socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n');
    });
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('a fleet serving HTTPS', () => {
  it('serves the app over TLS on every worker, and hands each worker its server through onServer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-cluster-https-'));
    const pair = certificate(dir, 'fleet');
    const port = await freePort();
    const primary = startPrimary(
      { workers: 2, port, https: { cert: pair.cert, key: pair.key } },
      'https-app.mjs',
    );
    running.push(primary);
    await primary.waitForTest('ready');
    const replies = await Promise.all(Array.from({ length: 6 }, () => getJson(port, pair.pem)));
    expect(replies.every((reply) => reply.https === true)).toBe(true);
    expect(await upgrade(port, pair.pem)).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
  });

  it('refuses to start with certificate files it cannot use, naming the option', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-cluster-https-'));
    const pair = certificate(dir, 'fleet');
    const other = certificate(dir, 'other');
    const broken = join(dir, 'broken.key');
    writeFileSync(broken, 'not a key');
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { cert: join(dir, 'missing.crt'), key: pair.key },
        /option "https\.cert" must be a readable PEM file/,
      ],
      [
        { cert: pair.cert, key: other.key },
        /option "https\.cert" must be a PEM certificate that goes with https\.key/,
      ],
      [
        { cert: pair.cert, key: broken },
        /option "https\.cert" must be a PEM certificate that goes with https\.key/,
      ],
      [{ cert: pair.cert }, /option "https\.key" must be a non-empty string/],
    ];
    for (const [https, message] of cases) {
      const primary = startPrimary({ workers: 1, port: await freePort(), https }, 'https-app.mjs');
      running.push(primary);
      const { code } = await primary.exit;
      expect(code).not.toBe(0);
      expect(primary.tail(200)).toMatch(message);
    }
  });
});
