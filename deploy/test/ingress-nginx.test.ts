import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '@koa-fleet/errors';
import { balancerBin } from '@koa-fleet/chaos';
import { findObject, kubernetesDir, loadKustomization } from './support/kubernetes-manifests.js';

const ANNOTATION = 'nginx.ingress.kubernetes.io/';

/** ingress-nginx takes timeouts in whole seconds without a unit. */
const seconds = (value: string) => String((parseDuration(value) ?? Number.NaN) / 1000);

/** Each exported nginx directive and the ingress-nginx annotation that sets it. */
const ANNOTATION_OF: Record<string, { annotation: string; value?: (exported: string) => string }> =
  {
    proxy_next_upstream: { annotation: 'proxy-next-upstream' },
    proxy_next_upstream_tries: { annotation: 'proxy-next-upstream-tries' },
    proxy_connect_timeout: { annotation: 'proxy-connect-timeout', value: seconds },
    proxy_read_timeout: { annotation: 'proxy-read-timeout', value: seconds },
    proxy_send_timeout: { annotation: 'proxy-send-timeout', value: seconds },
    client_max_body_size: { annotation: 'proxy-body-size' },
    proxy_buffering: { annotation: 'proxy-buffering' },
    proxy_http_version: { annotation: 'proxy-http-version' },
  };

/**
 * Where the Ingress differs from the export on purpose (the Ingress says why): nginx's 0 tries
 * each server once, but ingress-nginx has one Lua-balanced upstream where 0 is no limit.
 */
const DIFFERS_ON_PURPOSE = ['proxy-next-upstream-tries'];

describe('the ingress-nginx overlay', () => {
  it('proxies as koa-fleet-balancer export nginx does with the balancer’s defaults', () => {
    const exported = execFileSync(
      process.execPath,
      [balancerBin, 'export', 'nginx', '--backend', 'http://127.0.0.1:3000', '--port', '8080'],
      { encoding: 'utf8' },
    );
    const directives = new Map(
      [...exported.matchAll(/^\s+(\w+) ([^;]+);$/gm)].map((match) => [match[1]!, match[2]!]),
    );
    const ingress = findObject(loadKustomization(join(kubernetesDir, 'ingress-nginx')), 'Ingress');
    const annotations =
      (ingress.metadata as { annotations?: Record<string, string> }).annotations ?? {};

    const compared = Object.entries(ANNOTATION_OF).map(([directive, { annotation, value }]) => {
      const fromExport = directives.get(directive);
      if (fromExport === undefined) throw new Error(`the export has no ${directive}`);
      return {
        annotation,
        expected: value ? value(fromExport) : fromExport,
        actual: annotations[ANNOTATION + annotation],
      };
    });
    console.log(
      compared.map((c) => `${c.annotation}: ${c.actual} (export: ${c.expected})`).join('\n'),
    );
    const differing = compared.filter((c) => c.actual !== c.expected).map((c) => c.annotation);
    expect(differing).toEqual(DIFFERS_ON_PURPOSE);
    expect(compared.every((c) => c.actual !== undefined)).toBe(true);
  });
});
