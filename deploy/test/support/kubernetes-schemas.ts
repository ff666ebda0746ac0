import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import type { ManifestObject } from './kubernetes-manifests.js';

/** A model of kubernetes-models: its constructor takes the object, validate() checks it. */
type ModelClass = new (data: never) => { validate(): void };

/** The kinds the recipes use, by `apiVersion/kind`; any other is refused rather than unchecked. */
const MODELS: Record<string, ModelClass> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/Secret': Secret,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress,
};

/**
 * Validates one object against the Kubernetes OpenAPI schema of its kind (kubernetes-models'
 * generated validators): types, formats, required fields and enums. Throws naming the file and
 * the path of the first wrong field. Unknown fields are not refused (the schemas allow them).
 */
export function validateManifest(object: ManifestObject): void {
  const { file, ...data } = object;
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) throw new Error(`${file}: no schema for ${object.apiVersion} ${object.kind}`);
  try {
    new Model(data as never).validate();
  } catch (error) {
    throw new Error(
      `${file} (${object.kind} ${object.metadata.name}): ${(error as Error).message}`,
    );
  }
}
