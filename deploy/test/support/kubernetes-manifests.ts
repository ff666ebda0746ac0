import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** deploy/kubernetes/, the kustomize base. */
export const kubernetesDir = fileURLToPath(new URL('../../kubernetes/', import.meta.url));

/** One object of a manifest file, as kubectl would send it. */
export interface ManifestData {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  [field: string]: unknown;
}

/** A manifest's object and the file it is in. */
export interface ManifestObject extends ManifestData {
  /** Relative to deploy/kubernetes/, for messages. */
  file: string;
}

interface Kustomization {
  resources?: string[];
}

/** Every document of a YAML file; a syntax error throws, naming the file. */
export function readYaml(path: string): unknown[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((document) => {
    if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0]!.message}`);
    return document.toJS() as unknown;
  });
}

/**
 * The objects a kustomization applies: its `resources`, files or directories holding a
 * kustomization of their own (a base), in order. kustomize's transformers (labels, names) are
 * not applied: the objects are checked as written.
 */
export function loadKustomization(dir: string): ManifestObject[] {
  const file = join(dir, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`${dir} has no kustomization.yaml`);
  const [kustomization] = readYaml(file) as [Kustomization];
  return (kustomization.resources ?? []).flatMap((resource) => {
    const path = join(dir, resource);
    if (!existsSync(path)) throw new Error(`${file}: resource ${resource} does not exist`);
    if (statSync(path).isDirectory()) return loadKustomization(path);
    return readYaml(path).map((object): ManifestObject => ({
      ...(object as ManifestData),
      file: relative(kubernetesDir, path),
    }));
  });
}

/** The one object of `kind` (and `name`, if given) among `objects`. */
export function findObject(
  objects: readonly ManifestObject[],
  kind: string,
  name?: string,
): ManifestObject {
  const found = objects.filter(
    (object) => object.kind === kind && (name === undefined || object.metadata.name === name),
  );
  if (found.length !== 1)
    throw new Error(`${found.length} ${kind} objects${name ? ` named ${name}` : ''}, not 1`);
  return found[0]!;
}
