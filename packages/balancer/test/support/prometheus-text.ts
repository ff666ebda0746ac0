/** One sample line of the Prometheus text format: `name{label="value",…} 12`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: string;
  help: string;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"`;
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL},?)*)\\})? (\\S+)(?: -?\\d+)?$`);
const SUFFIXES: Record<string, string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/**
 * A strict reader of the Prometheus text exposition format (0.0.4): every line must be a HELP, a
 * TYPE, or a sample of the family its TYPE announced (a histogram's `_bucket`, `_sum`, `_count`),
 * with a value that is a number. Throws naming the line that is not.
 */
export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  let current: MetricFamily | undefined;
  text.split('\n').forEach((line, index) => {
    const fail = (why: string) => {
      throw new Error(`line ${index + 1} ${why}: ${line}`);
    };
    if (line === '') return;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (!current || current.name !== name) {
        if (families.has(name)) fail('repeats a family');
        current = { name, type: 'untyped', help: '', samples: [] };
        families.set(name, current);
      }
      if (kind === 'HELP') current.help = rest;
      else if (['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest))
        current.type = rest;
      else fail('has an unknown type');
      return;
    }
    if (line.startsWith('#')) return;
    const match = SAMPLE.exec(line);
    if (!match) fail('is not a sample');
    const [, name, labelText = ''] = match!;
    const value = Number(match!.at(-1)!.replace(/^\+Inf$/, 'Infinity'));
    if (Number.isNaN(value) && match!.at(-1) !== 'NaN') fail('has a value that is not a number');
    const allowed = (SUFFIXES[current?.type ?? ''] ?? ['']).map(
      (suffix) => `${current?.name}${suffix}`,
    );
    if (!current || !allowed.includes(name!)) fail(`is not of the family ${current?.name}`);
    const labels: Record<string, string> = {};
    for (const label of labelText.matchAll(new RegExp(LABEL, 'g'))) labels[label[1]!] = label[2]!;
    current!.samples.push({ name: name!, labels, value });
  });
  return families;
}

/** The sum of a family's samples named `name` whose labels include `match`. */
export function total(
  families: Map<string, MetricFamily>,
  family: string,
  match: Record<string, string> = {},
  name = family,
): number {
  const found = families.get(family);
  if (!found) throw new Error(`no metric family ${family}`);
  return found.samples
    .filter(
      (sample) =>
        sample.name === name &&
        Object.entries(match).every(([label, value]) => sample.labels[label] === value),
    )
    .reduce((sum, sample) => sum + sample.value, 0);
}
