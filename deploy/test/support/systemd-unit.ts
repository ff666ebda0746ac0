import { existsSync, readFileSync } from 'node:fs';

/** A systemd unit file as systemd reads it: each section's keys, every value a key was given. */
export interface SystemdUnit {
  /** The values of `key` in `section`, in order (Environment= may repeat); [] when absent. */
  all(section: string, key: string): string[];
  /** The last value of `key` (a repeated single-valued key takes the last); throws when absent. */
  get(section: string, key: string): string;
}

/** How a test runs a unit without systemd: the specifiers' values and where its paths live. */
export interface UnitSetting {
  /** `%i`. */
  instance: string;
  /** `%t`, /run for a system unit. */
  runtimeDir: string;
  /** The unit's absolute paths under a test's directory: `{ '/srv/': '/tmp/x/srv/' }`. */
  moved?: Record<string, string>;
}

/** Reads a unit file as systemd would for `setting.instance`. */
export function readUnit(path: string, setting: UnitSetting): SystemdUnit {
  const values = new Map<string, string[]>();
  let section = '';
  // A line ending in a backslash goes on on the next one.
  const text = readFileSync(path, 'utf8').replace(/\\\n/g, ' ');
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`${path}: not a key=value line: ${line}`);
    const key = `${section}.${line.slice(0, eq).trim()}`;
    const value = movePaths(expandSpecifiers(line.slice(eq + 1).trim(), setting), setting.moved);
    values.set(key, [...(values.get(key) ?? []), value]);
  }
  return {
    all: (section, key) => values.get(`${section}.${key}`) ?? [],
    get(section, key) {
      const found = values.get(`${section}.${key}`);
      if (!found?.length) throw new Error(`${path}: no ${key}= in [${section}]`);
      return found[found.length - 1]!;
    },
  };
}

/** `%i` → the instance, `%t` → the runtime directory, `%%` → `%`; any other one is refused. */
function expandSpecifiers(value: string, { instance, runtimeDir }: UnitSetting): string {
  return value.replace(/%(.)/g, (whole, letter: string) => {
    if (letter === 'i' || letter === 'I') return instance;
    if (letter === 't') return runtimeDir;
    if (letter === '%') return '%';
    throw new Error(`unit specifier ${whole} is not emulated by this test helper`);
  });
}

/** Each path that starts with one of `moved`'s prefixes (after a space, `=`, `-` or `"`). */
function movePaths(value: string, moved: Record<string, string> = {}): string {
  let result = value;
  for (const [from, to] of Object.entries(moved)) {
    result = result.replace(
      new RegExp(`(^|[\\s="-])${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'g'),
      `$1${to}`,
    );
  }
  return result;
}

/**
 * An Exec…= line's argv. systemd splits on whitespace and honours double quotes; the prefixes
 * `-`, `@`, `+`, `!`, `:` change how it runs the command, and this unit uses none.
 */
export function commandLine(value: string): string[] {
  if (/^[-@+!:]/.test(value)) throw new Error(`command prefix not emulated: ${value}`);
  return [...value.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]!);
}

/**
 * The environment systemd gives the service: each Environment= assignment, then each
 * EnvironmentFile= (a leading `-`: skipped when missing), whose settings override the former.
 */
export function unitEnvironment(unit: SystemdUnit): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const line of unit.all('Service', 'Environment')) {
    for (const match of line.matchAll(/"([^"=]+)=([^"]*)"|(\S+?)=(\S*)/g)) {
      environment[match[1] ?? match[3]!] = match[2] ?? match[4]!;
    }
  }
  for (const entry of unit.all('Service', 'EnvironmentFile')) {
    const optional = entry.startsWith('-');
    const file = optional ? entry.slice(1) : entry;
    if (!existsSync(file)) {
      if (optional) continue;
      throw new Error(`EnvironmentFile ${file} is missing`);
    }
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const assignment = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
      if (assignment) environment[assignment[1]!] = assignment[2]!.replace(/^"(.*)"$/, '$1');
    }
  }
  return environment;
}
