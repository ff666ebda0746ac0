import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request, type Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type PeerCertificate, type TLSSocket } from 'node:tls';

/** A self-signed certificate for 127.0.0.1 made by openssl, its files in `dir`. */
export interface TestCertificate {
  cert: string;
  key: string;
  /** The certificate's PEM, for a client's `ca`. */
  pem: Buffer;
}

export const certificateDir = () => mkdtempSync(join(tmpdir(), 'kf-balancer-tls-'));

/**
 * `openssl req -x509` with a P-256 key (quick to make), `CN=<name>`, for IP 127.0.0.1; written
 * to `<dir>/<file>.crt` and `.key` (again over the same files for a renewal).
 */
export function makeCertificate(dir: string, name: string, file = 'edge'): TestCertificate {
  const cert = join(dir, `${file}.crt`);
  const key = join(dir, `${file}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key, pem: readFileSync(cert) };
}

/** The certificate a new TLS connection to `url` is shown (`subject.CN` names it). */
export function peerCertificate(
  url: string,
  options: { ALPNProtocols?: string[] } = {},
): Promise<{ certificate: PeerCertificate; alpn: string | false }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = connect(
      { host: hostname, port: Number(port), rejectUnauthorized: false, ...options },
      () => {
        resolve({ certificate: socket.getPeerCertificate(), alpn: socket.alpnProtocol ?? false });
        socket.end();
      },
    );
    socket.on('error', reject);
  });
}

export interface HttpsReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The CN of the certificate this connection was shown. */
  servedBy: string;
  /** The connection's local port, to tell a reused keep-alive connection from a new one. */
  localPort: number;
}

/** One HTTPS request trusting `ca` only (so the certificate is checked for 127.0.0.1). */
export function httpsRequest(
  url: string,
  ca: Buffer,
  options: { agent?: Agent; headers?: Record<string, string> } = {},
): Promise<HttpsReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ca, agent: options.agent ?? false, headers: options.headers },
      (res) => {
        const socket = res.socket as TLSSocket;
        const servedBy = String(socket.getPeerCertificate().subject.CN);
        const localPort = socket.localPort ?? 0;
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, servedBy, localPort }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}
