import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import { findObject, type ManifestObject } from './kubernetes-manifests.js';

/** A probe as the kubelet runs it: an HTTP GET of `path` on a port number. */
export interface HttpProbe {
  path: string;
  port: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

/** What the test needs of the app's Deployment, named ports and env references resolved. */
export interface AppDeployment {
  container: IContainer;
  /** The container's environment as the kubelet gives it (a `resourceFieldRef` resolved). */
  env: Map<string, string>;
  /** Every env variable that comes from a Secret: name → `secret/key`. */
  secretEnv: Map<string, string>;
  /** The container port named `http`. */
  httpPort: number;
  startup: HttpProbe;
  readiness: HttpProbe;
  liveness: HttpProbe;
  terminationGracePeriodSeconds: number;
  limits: { cpu: number; memoryBytes: number };
}

const BINARY_SUFFIXES: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};
const DECIMAL_SUFFIXES: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

/** A Kubernetes quantity (`'2'`, `'500m'`, `'1Gi'`) as a number of units (cores, bytes). */
export function parseQuantity(quantity: string | number): number {
  if (typeof quantity === 'number') return quantity;
  const match = /^(\d+(?:\.\d+)?)([a-zA-Z]*)$/.exec(quantity);
  const suffix = match?.[2] ?? '';
  const factor = BINARY_SUFFIXES[suffix] ?? DECIMAL_SUFFIXES[suffix];
  if (!match || factor === undefined) throw new Error(`"${quantity}" is not a quantity`);
  return Number(match[1]) * factor;
}

/** The container named `app` of the Deployment `koa-fleet-app`. */
export function appDeployment(objects: readonly ManifestObject[]): AppDeployment {
  const deployment = findObject(objects, 'Deployment', 'koa-fleet-app') as unknown as IDeployment;
  const pod = deployment.spec?.template.spec;
  const container = pod?.containers.find((candidate) => candidate.name === 'app');
  if (!pod || !container) throw new Error('the Deployment has no container named app');
  const limits = container.resources?.limits ?? {};
  const ports = new Map((container.ports ?? []).map((port) => [port.name, port.containerPort]));
  const httpPort = ports.get('http');
  if (httpPort === undefined) throw new Error('the app container has no port named http');

  const env = new Map<string, string>();
  const secretEnv = new Map<string, string>();
  for (const variable of container.env ?? []) {
    const field = variable.valueFrom?.resourceFieldRef;
    const secret = variable.valueFrom?.secretKeyRef;
    if (variable.value !== undefined) env.set(variable.name, variable.value);
    else if (field) {
      // The kubelet rounds up: a limit of 1500m with divisor 1 gives "2".
      const value = limits[field.resource.replace(/^limits\./, '')];
      if (value === undefined) throw new Error(`${variable.name}: no ${field.resource}`);
      env.set(
        variable.name,
        String(Math.ceil(parseQuantity(value) / parseQuantity(field.divisor ?? '1'))),
      );
    } else if (secret) secretEnv.set(variable.name, `${secret.name}/${secret.key}`);
  }

  const httpProbe = (name: string, probe: IProbe | undefined): HttpProbe => {
    const get = probe?.httpGet;
    if (!probe || !get?.path) throw new Error(`the app container has no HTTP ${name} probe`);
    const port = typeof get.port === 'number' ? get.port : ports.get(get.port);
    if (port === undefined) throw new Error(`${name} probe: no container port ${get.port}`);
    return {
      path: get.path,
      port,
      // The kubelet's defaults, for a field left out.
      periodSeconds: probe.periodSeconds ?? 10,
      timeoutSeconds: probe.timeoutSeconds ?? 1,
      failureThreshold: probe.failureThreshold ?? 3,
    };
  };
  return {
    container,
    env,
    secretEnv,
    httpPort,
    startup: httpProbe('startup', container.startupProbe),
    readiness: httpProbe('readiness', container.readinessProbe),
    liveness: httpProbe('liveness', container.livenessProbe),
    terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds ?? 30,
    limits: {
      cpu: parseQuantity(limits.cpu ?? '0'),
      memoryBytes: parseQuantity(limits.memory ?? '0'),
    },
  };
}
