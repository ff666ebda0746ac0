import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appDeployment } from './support/app-deployment.js';
import { deployPageSection } from './support/deploy-page.js';
import { findObject, kubernetesDir, loadKustomization } from './support/kubernetes-manifests.js';
import { validateManifest } from './support/kubernetes-schemas.js';

const base = loadKustomization(kubernetesDir);
const withIngress = loadKustomization(join(kubernetesDir, 'ingress-nginx'));
const page = deployPageSection('Kubernetes');

describe('deploy/kubernetes, the kustomize base', () => {
  afterAll(() => page.expectEveryBlockUsed());

  it('holds the Deployment, Service, PodDisruptionBudget and HorizontalPodAutoscaler', () => {
    expect(base.map((object) => object.kind).sort()).toEqual([
      'Deployment',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'Service',
    ]);
    expect(withIngress.map((object) => object.kind).sort()).toEqual([
      'Deployment',
      'HorizontalPodAutoscaler',
      'Ingress',
      'PodDisruptionBudget',
      'Service',
    ]);
  });

  it('is valid against the Kubernetes OpenAPI schemas, object by object', () => {
    for (const object of withIngress) validateManifest(object);
    console.log(
      `validated ${withIngress.length} objects: ${withIngress.map((o) => o.file).join(', ')}`,
    );
  });

  it('has a validation that refuses a wrong field (a port given as text)', () => {
    const deployment = structuredClone(findObject(base, 'Deployment'));
    const spec = deployment.spec as {
      template: { spec: { containers: Array<{ ports: unknown }> } };
    };
    spec.template.spec.containers[0]!.ports = [{ name: 'http', containerPort: '3000' }];
    expect(() => validateManifest(deployment)).toThrow(/containerPort must be integer/);
  });

  it('selects the Deployment’s Pods from the Service, the budget and the autoscaler', () => {
    const deployment = findObject(base, 'Deployment') as unknown as {
      metadata: { name: string };
      spec: {
        selector: { matchLabels: Record<string, string> };
        template: { metadata: { labels: Record<string, string> } };
      };
    };
    const podLabels = deployment.spec.template.metadata.labels;
    expect(podLabels).toMatchObject(deployment.spec.selector.matchLabels);
    const service = findObject(base, 'Service').spec as {
      selector: Record<string, string>;
      ports: Array<{ targetPort: string }>;
    };
    expect(podLabels).toMatchObject(service.selector);
    expect(service.ports.map((port) => port.targetPort)).toEqual(['http']);
    const budget = findObject(base, 'PodDisruptionBudget').spec as {
      selector: { matchLabels: Record<string, string> };
    };
    expect(podLabels).toMatchObject(budget.selector.matchLabels);
    const autoscaler = findObject(base, 'HorizontalPodAutoscaler').spec as {
      scaleTargetRef: { kind: string; name: string };
    };
    expect(autoscaler.scaleTargetRef).toMatchObject({
      kind: 'Deployment',
      name: deployment.metadata.name,
    });
  });

  it('sends the Ingress to the Service’s named port', () => {
    const ingress = findObject(withIngress, 'Ingress').spec as {
      rules: Array<{
        http: { paths: Array<{ backend: { service: { name: string; port: { name: string } } } }> };
      }>;
    };
    const backends = ingress.rules.flatMap((rule) =>
      rule.http.paths.map((path) => path.backend.service),
    );
    const service = findObject(base, 'Service');
    const servicePorts = (service.spec as { ports: Array<{ name: string }> }).ports.map(
      (port) => port.name,
    );
    for (const backend of backends) {
      expect(backend.name).toBe(service.metadata.name);
      expect(servicePorts).toContain(backend.port.name);
    }
  });

  it('takes REDIS_URL from the Secret the page’s kubectl command creates', () => {
    const command = page.block('k8s-secret');
    const match = /kubectl create secret generic (\S+) --from-literal=(\w+)=redis:\/\/\S+/.exec(
      command,
    );
    expect(match).not.toBeNull();
    const { secretEnv } = appDeployment(base);
    expect(secretEnv.get('REDIS_URL')).toBe(`${match![1]}/${match![2]}`);
  });

  it('applies what the page’s kubectl apply -k commands name', () => {
    const dirs = [...page.block('k8s-apply').matchAll(/kubectl apply -k (\S+)/g)].map((m) => m[1]!);
    expect(dirs).toEqual(['deploy/kubernetes', 'deploy/kubernetes/ingress-nginx']);
    for (const dir of dirs) {
      expect(existsSync(join(kubernetesDir, '..', '..', dir, 'kustomization.yaml'))).toBe(true);
    }
  });
});
