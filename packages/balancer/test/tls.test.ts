import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent } from 'node:https';
import { httpRequest } from '@koa-fleet/testkit';
import { describe, expect, it } from 'vitest';
import { CertificateError, createBalancer } from '@koa-fleet/balancer';
import {
  certificateDir,
  httpsRequest,
  makeCertificate,
  peerCertificate,
} from './support/certificates.js';
import { useTestServers } from './support/test-servers.js';
import { echoWebSockets, openWebSocket } from './support/websocket.js';

const servers = useTestServers();

async function httpsBalancer(tls: Record<string, unknown> = {}) {
  const dir = certificateDir();
  const certificate = makeCertificate(dir, 'first');
  const backend = await servers.backend('a');
  const balancer = await servers.balancer({
    backends: [backend.url],
    tls: { cert: certificate.cert, key: certificate.key, ...tls },
  });
  return { dir, certificate, backend, balancer };
}

describe('TLS at the edge', () => {
  it('serves HTTPS and tells the backend the client came over https', async () => {
    const { certificate, backend, balancer } = await httpsBalancer();
    expect(balancer.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const reply = await httpsRequest(`${balancer.url}/x`, certificate.pem);
    expect(reply.status).toBe(200);
    expect(backend.seen[0]!.headers).toMatchObject({
      'x-forwarded-proto': 'https',
      forwarded: expect.stringMatching(/;proto=https$/) as unknown,
    });
  });

  it('offers HTTP/1.1 only, so an h2 client falls back to it', async () => {
    const { balancer } = await httpsBalancer();
    const { alpn } = await peerCertificate(balancer.url, { ALPNProtocols: ['h2', 'http/1.1'] });
    expect(alpn).toBe('http/1.1');
  });

  it('passes a WebSocket through over TLS (wss)', async () => {
    const { certificate, backend, balancer } = await httpsBalancer();
    echoWebSockets(backend.server, 'a');
    const ws = await openWebSocket(balancer.url, certificate.pem);
    ws.send('secure');
    expect(await ws.next()).toBe('a: secure');
    await ws.close();
  });

  it('reloads the certificate for new connections, and keeps open ones', async () => {
    const { dir, certificate, balancer } = await httpsBalancer();
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: certificate.pem });
    const before = await httpsRequest(balancer.url, certificate.pem, { agent });
    expect(before.servedBy).toBe('first');

    const renewed = makeCertificate(dir, 'second'); // over the same files, as a renewal does
    balancer.reloadCertificates();

    // The open keep-alive connection goes on with the certificate it had…
    const after = await httpsRequest(balancer.url, certificate.pem, { agent });
    expect(after).toMatchObject({ status: 200, servedBy: 'first', localPort: before.localPort });
    agent.destroy();
    // …and a new one gets the renewed certificate.
    expect((await httpsRequest(balancer.url, renewed.pem)).servedBy).toBe('second');
  });

  it('keeps the certificate in use when the reloaded files are not a usable pair', async () => {
    const { dir, certificate, balancer } = await httpsBalancer();
    makeCertificate(dir, 'other', 'other');
    writeFileSync(certificate.key, 'not a key');
    expect(() => balancer.reloadCertificates()).toThrowError(CertificateError);
    const { certificate: shown } = await peerCertificate(balancer.url);
    expect(shown.subject.CN).toBe('first');
  });

  it('refuses to start without a readable certificate, or with a key that is not its own', () => {
    const dir = certificateDir();
    const first = makeCertificate(dir, 'first');
    const other = makeCertificate(dir, 'other', 'other');
    const missing = join(dir, 'missing.crt');
    const create = (cert: string, key: string) => () =>
      createBalancer({ backends: ['http://127.0.0.1:1'], tls: { cert, key } });
    expect(create(missing, first.key)).toThrowError(
      expect.objectContaining({
        code: 'KF_BALANCER_CERTIFICATE',
        message: `TLS certificate ${missing}: no such file`,
      }) as Error,
    );
    expect(create(first.cert, other.key)).toThrowError(
      new RegExp(`^TLS certificate ${first.cert}: does not go with the key ${other.key}`),
    );
  });

  it('redirects plain HTTP to HTTPS with a 308 that keeps the target, and sends it nowhere else', async () => {
    const { backend, balancer } = await httpsBalancer({ httpRedirectPort: 0 });
    const port = balancer.address!.redirectPort!;
    const reply = await httpRequest(`http://127.0.0.1:${port}/cart?item=1`, {
      method: 'POST',
      headers: { host: `localhost:${port}` },
      body: 'x',
    });
    expect(reply.status).toBe(308);
    expect(reply.headers.location).toBe(`https://localhost:${balancer.address!.port}/cart?item=1`);
    expect(backend.seen).toEqual([]);
  });
});
