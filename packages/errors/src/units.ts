const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const BYTE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
};

/**
 * Parses `1500`, `'1500'`, `'10s'`, `'1.5m'` or `'500ms'` into milliseconds; `undefined` if the
 * text is not a duration. Numbers are milliseconds already.
 */
export function parseDuration(value: number | string): number | undefined {
  return parseWithUnits(value, DURATION_UNITS, 'ms');
}

/** Parses `1048576`, `'512mb'`, `'1.5gb'` or `'64kb'` into bytes (binary multiples). */
export function parseBytes(value: number | string): number | undefined {
  return parseWithUnits(value, BYTE_UNITS, 'b');
}

function parseWithUnits(
  value: number | string,
  units: Record<string, number>,
  defaultUnit: string,
): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  if (!match) return undefined;
  const factor = units[(match[2] || defaultUnit).toLowerCase()];
  if (factor === undefined) return undefined;
  return Math.round(Number(match[1]) * factor);
}
