import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { checkPort, checkString } from '@koa-fleet/errors';
import { CertificateError } from '../errors.js';
import { checkOptionObject } from '../internal/option-object.js';

/** HTTPS at the edge (nginx's `listen 443 ssl`, `ssl_certificate`, `ssl_certificate_key`). */
export interface TlsOptions {
  /** The certificate chain, a PEM file: the server's certificate first, then its issuers. */
  cert: string;
  /** Its private key, a PEM file (unencrypted, as nginx reads it without a passphrase). */
  key: string;
  /** A plain HTTP port that answers every request with a redirect (308) to the HTTPS listener. */
  httpRedirectPort?: number;
}

export interface ResolvedTls {
  certFile: string;
  keyFile: string;
  /** undefined: no redirect listener. */
  httpRedirectPort: number | undefined;
}

/** The PEM text a secure context is made of. */
export interface Certificates {
  cert: Buffer;
  key: Buffer;
}

const TLS_KEYS = Object.keys({
  cert: true,
  key: true,
  httpRedirectPort: true,
} satisfies Record<keyof TlsOptions, true>);

/** Undefined when the config has no `tls`: the balancer speaks plain HTTP. */
export function resolveTls(input: unknown): ResolvedTls | undefined {
  if (input === undefined) return undefined;
  const given = checkOptionObject<TlsOptions>(
    'tls',
    input,
    TLS_KEYS,
    'an object with cert and key',
  );
  return {
    certFile: checkString('tls.cert', given.cert),
    keyFile: checkString('tls.key', given.key),
    httpRedirectPort:
      given.httpRedirectPort === undefined
        ? undefined
        : checkPort('tls.httpRedirectPort', given.httpRedirectPort),
  };
}

/**
 * Reads the certificate and key files, and checks that they make a secure context (PEM, and a
 * key that is the certificate's), so a bad pair is refused at start or at a reload instead of
 * failing every handshake after it. Read afresh each time: a reload picks up renewed files.
 */
export function loadCertificates(tls: ResolvedTls): Certificates {
  const certificates = { cert: readPem(tls.certFile), key: readPem(tls.keyFile) };
  try {
    createSecureContext(certificates);
  } catch (error) {
    throw new CertificateError(
      tls.certFile,
      `does not go with the key ${tls.keyFile}, or one is not PEM (${(error as Error).message})`,
      { cause: error },
    );
  }
  return certificates;
}

function readPem(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(error);
    throw new CertificateError(file, reason, { cause: error });
  }
}
