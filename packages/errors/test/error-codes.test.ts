import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The rule for error codes across the workspace (docs/architecture.md, "Error codes"): `KF_` and
 * upper snake case; unique across packages; a package's own codes carry its name (the cluster's
 * name the fleet's nouns: worker, entry, fleet, …); the seams' codes are `KF_IPC_…` and
 * `KF_INVALID_OPTION`; every code a package throws is in its README's error table.
 */
const packagesDir = fileURLToPath(new URL('../..', import.meta.url));
const SEAM_CODE = /^KF_(IPC_[A-Z0-9_]+|INVALID_OPTION)$/;
const OWN_PREFIX: Record<string, string> = {
  health: 'KF_HEALTH_',
  session: 'KF_SESSION_',
  balancer: 'KF_BALANCER_',
};

interface Definition {
  code: string;
  packageName: string;
  file: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(
      (entry) => entry.isFile() && /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name),
    )
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Codes given to FleetError's constructor: `super('KF_…'` in a subclass, or `new FleetError('KF_…'`. */
function definitions(): Definition[] {
  const found: Definition[] = [];
  for (const packageName of readdirSync(packagesDir)) {
    let files: string[];
    try {
      files = sourceFiles(join(packagesDir, packageName, 'src'));
    } catch {
      continue;
    }
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:super|new FleetError)\(\s*'(KF_[A-Z0-9_]+)'/g)) {
        found.push({ code: match[1]!, packageName, file });
      }
    }
  }
  return found;
}

const all = definitions();

describe('error codes across the koa-fleet packages', () => {
  it('finds the codes it checks', () => {
    expect(all.map((d) => d.code)).toContain('KF_INVALID_OPTION');
    expect(all.length).toBeGreaterThan(20);
  });

  it('each code is defined once, in one package', () => {
    const seen = new Map<string, Definition>();
    const twice: string[] = [];
    for (const definition of all) {
      const earlier = seen.get(definition.code);
      if (earlier) twice.push(`${definition.code}: ${earlier.file} and ${definition.file}`);
      seen.set(definition.code, definition);
    }
    expect(twice).toEqual([]);
  });

  it("each code follows the naming rule: upper snake, the package's own prefix or a seam's", () => {
    const broken = all.filter(({ code, packageName }) => {
      if (!/^KF_[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(code)) return true;
      if (SEAM_CODE.test(code)) return !['errors', 'cluster'].includes(packageName);
      const prefix = OWN_PREFIX[packageName];
      return prefix !== undefined && !code.startsWith(prefix);
    });
    expect(broken.map((d) => `${d.code} (${d.packageName})`)).toEqual([]);
  });

  it("each code is in its package README's error table", () => {
    const missing = all.filter(({ code, packageName }) => {
      const readme = readFileSync(join(packagesDir, packageName, 'README.md'), 'utf8');
      return !readme.includes(`| \`${code}\``);
    });
    expect(missing.map((d) => `${d.code} (${d.packageName}/README.md)`)).toEqual([]);
  });
});
