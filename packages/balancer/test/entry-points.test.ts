import { fileURLToPath } from 'node:url';
import { expectSameBuiltApi } from '@koa-fleet/testkit';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('@koa-fleet/balancer built entry points', () => {
  it('exports the public API from ESM and CJS alike', async () => {
    const { esm, cjs } = await expectSameBuiltApi(packageDir, [
      'createBalancer',
      'exportNginxConfig',
      'exportHaproxyConfig',
      'ProxyError',
      'NoBackendError',
      'UpstreamRefusedError',
      'UpstreamResetError',
      'UpstreamInvalidResponseError',
      'UpstreamTimeoutError',
      'UpstreamStatusError',
      'BadRequestError',
      'BodyTooLargeError',
      'CertificateError',
      'TransferCodingError',
      'ListenError',
      'BalancerStateError',
      'ConfigFileError',
      'UnknownFleetError',
      'FleetConnectError',
      'FleetCommandError',
      'FleetError',
      'InvalidOptionError',
    ]);
    // Both formats bundle the one @koa-fleet/errors dependency, not a private copy.
    expect(esm.InvalidOptionError).toBe((await import('@koa-fleet/errors')).InvalidOptionError);
    expect(typeof cjs.createBalancer).toBe('function');
    expect(typeof cjs.exportHaproxyConfig).toBe('function');
    expect(typeof cjs.isFleetError).toBe('function');
  });
});
