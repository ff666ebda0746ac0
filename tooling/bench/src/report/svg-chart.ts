import { formatRatio } from './format.js';
import type { ScenarioResult } from './results.js';

// Layout in px; a chart grows downwards with one row per bar.
const WIDTH = 760;
const LABEL_WIDTH = 230;
const BAR_AREA = 420;
const ROW = 22;
const BAR = 14;
const TOP = 72;

interface Bar {
  text: string;
  value: number;
  /** The lowest and highest per-repeat value, drawn as a line across the bar. */
  range?: [number, number];
  fill: string;
  label: string;
}

type Row = { kind: 'group'; text: string } | ({ kind: 'bar' } & Bar);

interface Chart {
  title: string;
  subtitle: string;
  rows: Row[];
  /** A dashed line at this value (1.0 for ratios), with its label. */
  reference?: { value: number; label: string };
  /** The smallest scale maximum, so short bars are not stretched across the chart. */
  minScale: number;
  tickStep(scaleMax: number): number;
}

/** The file a scenario's chart is written to and the report embeds: `<scenario>.svg`. */
export function chartFileName(scenario: string): string {
  return `${scenario}.svg`;
}

/**
 * One scenario's chart. With throughput loads: one bar per load and contender, length = median
 * throughput ratio to the baseline, a line across it from the lowest to the highest per-repeat
 * ratio, and a dashed line at 1.0. A scenario measured only by counts (reload) gets one bar per
 * count and contender instead, length = the total over the repeats: its counts are its result.
 * Hand-rolled so the docs need no charting dependency and the files diff readably.
 */
export function renderScenarioChart(name: string, scenario: ScenarioResult): string {
  return renderChart(
    scenario.loads.length > 0 ? ratioChart(name, scenario) : countChart(name, scenario),
  );
}

function ratioChart(name: string, s: ScenarioResult): Chart {
  const rows = s.loads.flatMap((load): Row[] => [
    { kind: 'group', text: `${load.name} (GET ${load.path}, ${load.connections} conn.)` },
    ...load.contenders.map((c): Row => {
      const finite = c.repeatRatios.filter(Number.isFinite);
      const value = Number.isFinite(c.ratio) ? c.ratio : 0;
      const baseline = c.name === s.baseline;
      return {
        kind: 'bar',
        text: baseline ? `${c.name} (baseline)` : c.name,
        value,
        ...(finite.length > 1 &&
          !baseline && {
            range: [Math.min(...finite), Math.max(...finite)] as [number, number],
          }),
        fill: baseline ? '#9e9e9e' : value >= 1 ? '#2f6fb3' : '#d9822b',
        label: formatRatio(c.ratio),
      };
    }),
  ]);
  return {
    title: `${name}: throughput ratio to ${s.baseline} (median of ${s.repeats} repeats; higher is better)`,
    subtitle:
      'The line across a bar spans the lowest to highest per-repeat ratio. Small shared machine, noisy.',
    rows,
    reference: { value: 1, label: '1.0 = baseline' },
    minScale: 1.5,
    tickStep: () => 0.5,
  };
}

function countChart(name: string, s: ScenarioResult): Chart {
  const rows = (s.counts ?? []).flatMap((load): Row[] =>
    load.counts.flatMap((count): Row[] => [
      { kind: 'group', text: `${count} (${load.name}, ${load.connections} conn.)` },
      ...load.contenders.map((c): Row => {
        const total = c.totals[count] ?? 0;
        return {
          kind: 'bar',
          text: c.name === s.baseline ? `${c.name} (baseline)` : c.name,
          value: total,
          fill: total === 0 ? '#2f6fb3' : '#d9822b',
          label: String(total),
        };
      }),
    ]),
  );
  return {
    title: `${name}: counts, totals over ${s.repeats} repeats (lower is better)`,
    subtitle: 'Things that should not happen, e.g. failed requests; 0 draws no bar.',
    rows,
    minScale: 1,
    tickStep: (scaleMax) => niceStep(scaleMax / 5),
  };
}

// 1, 2 or 5 times a power of ten, at least `rough`.
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(rough, 1)));
  return [1, 2, 5, 10].map((f) => f * power).find((step) => step >= rough) ?? 10 * power;
}

function renderChart(chart: Chart): string {
  const { rows } = chart;
  const values = rows.flatMap((row) =>
    row.kind === 'bar' ? [row.value, ...(row.range ?? [])] : [],
  );
  const step = chart.tickStep(Math.max(chart.minScale, ...values));
  const scaleMax = Math.max(
    chart.minScale,
    Math.ceil((Math.max(0, ...values) * 1.1) / step) * step,
  );
  const x = (value: number): number => LABEL_WIDTH + (value / scaleMax) * BAR_AREA;
  const height = TOP + rows.length * ROW + 30;
  const axisBottom = TOP + rows.length * ROW;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
    `<text x="12" y="40" fill="#555555">${escapeXml(chart.subtitle)}</text>`,
  ];
  for (let tick = 0; tick <= scaleMax + 1e-9; tick += step) {
    const tx = x(tick).toFixed(1);
    parts.push(
      `<line x1="${tx}" y1="${TOP - 4}" x2="${tx}" y2="${axisBottom}" stroke="#e4e4e4"/>`,
      `<text x="${tx}" y="${axisBottom + 16}" text-anchor="middle" fill="#555555">${formatTick(tick, step)}</text>`,
    );
  }
  rows.forEach((row, index) => {
    const y = TOP + index * ROW;
    if (row.kind === 'group') {
      parts.push(`<text x="12" y="${y + 15}" font-weight="bold">${escapeXml(row.text)}</text>`);
      return;
    }
    const end = x(row.value);
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + 15}" text-anchor="end">${escapeXml(row.text)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y + (ROW - BAR) / 2}" width="${(end - LABEL_WIDTH).toFixed(1)}" height="${BAR}" fill="${row.fill}"/>`,
    );
    let labelAt = end;
    if (row.range) {
      const [low, high] = row.range.map(x) as [number, number];
      const mid = y + ROW / 2;
      parts.push(
        `<line class="range" x1="${low.toFixed(1)}" y1="${mid}" x2="${high.toFixed(1)}" y2="${mid}" stroke="#222222" stroke-width="1.5"/>`,
      );
      labelAt = Math.max(end, high);
    }
    parts.push(
      `<text x="${(labelAt + 6).toFixed(1)}" y="${y + 15}">${escapeXml(row.label)}</text>`,
    );
  });
  if (chart.reference) {
    const at = x(chart.reference.value).toFixed(1);
    parts.push(
      `<line x1="${at}" y1="${TOP - 4}" x2="${at}" y2="${axisBottom}" stroke="#c62828" stroke-width="1.5" stroke-dasharray="5 3"/>`,
      `<text x="${at}" y="${TOP - 8}" text-anchor="middle" fill="#c62828">${escapeXml(chart.reference.label)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function formatTick(tick: number, step: number): string {
  return Number.isInteger(step) ? String(Math.round(tick)) : tick.toFixed(1);
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
