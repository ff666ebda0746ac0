import { formatRatio } from './format.js';
import type { ResultsFile } from './results.js';

// Layout in px; the chart grows downwards with one row per bar.
const WIDTH = 760;
const LABEL_WIDTH = 230;
const BAR_AREA = 420;
const ROW = 22;
const BAR = 14;
const TOP = 72;

type Row =
  | { kind: 'scenario'; text: string }
  | { kind: 'load'; text: string }
  | { kind: 'bar'; text: string; ratio: number; baseline: boolean };

/**
 * docs/benchmarks/chart.svg: one horizontal bar per contender and load, length = throughput
 * ratio against the scenario's baseline, with a dashed line at 1.0. Hand-rolled so the docs
 * need no charting dependency and the file diffs readably.
 */
export function renderSvgChart(results: ResultsFile): string {
  const rows = chartRows(results);
  const ratios = rows.flatMap((row) =>
    row.kind === 'bar' && Number.isFinite(row.ratio) ? [row.ratio] : [],
  );
  const scaleMax = Math.max(1.5, Math.ceil(Math.max(0, ...ratios) * 1.1 * 2) / 2);
  const x = (value: number): number => LABEL_WIDTH + (value / scaleMax) * BAR_AREA;
  const height = TOP + rows.length * ROW + 30;
  const axisBottom = TOP + rows.length * ROW;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="bold">Throughput ratio vs baseline (median of repeats; higher is better)</text>`,
    `<text x="12" y="40" fill="#555555">Ratios, not absolute times; small shared machine, noisy.</text>`,
  ];
  for (let tick = 0; tick <= scaleMax + 1e-9; tick += 0.5) {
    const tx = x(tick).toFixed(1);
    parts.push(
      `<line x1="${tx}" y1="${TOP - 4}" x2="${tx}" y2="${axisBottom}" stroke="#e4e4e4"/>`,
      `<text x="${tx}" y="${axisBottom + 16}" text-anchor="middle" fill="#555555">${tick.toFixed(1)}</text>`,
    );
  }
  rows.forEach((row, index) => {
    const y = TOP + index * ROW;
    if (row.kind === 'scenario') {
      parts.push(`<text x="12" y="${y + 15}" font-weight="bold">${escapeXml(row.text)}</text>`);
    } else if (row.kind === 'load') {
      parts.push(`<text x="24" y="${y + 15}" fill="#333333">${escapeXml(row.text)}</text>`);
    } else {
      const value = Number.isFinite(row.ratio) ? row.ratio : 0;
      const fill = row.baseline ? '#9e9e9e' : value >= 1 ? '#2f6fb3' : '#d9822b';
      const end = x(value);
      parts.push(
        `<text x="${LABEL_WIDTH - 8}" y="${y + 15}" text-anchor="end">${escapeXml(row.text)}</text>`,
        `<rect x="${LABEL_WIDTH}" y="${y + (ROW - BAR) / 2}" width="${(end - LABEL_WIDTH).toFixed(1)}" height="${BAR}" fill="${fill}"/>`,
        `<text x="${(end + 6).toFixed(1)}" y="${y + 15}">${formatRatio(row.ratio)}</text>`,
      );
    }
  });
  const one = x(1).toFixed(1);
  parts.push(
    `<line x1="${one}" y1="${TOP - 4}" x2="${one}" y2="${axisBottom}" stroke="#c62828" stroke-width="1.5" stroke-dasharray="5 3"/>`,
    `<text x="${one}" y="${TOP - 8}" text-anchor="middle" fill="#c62828">1.0 = baseline</text>`,
    '</svg>',
  );
  return parts.join('\n') + '\n';
}

function chartRows(results: ResultsFile): Row[] {
  // Scenarios measured by counts (no throughput loads) have no ratio to draw.
  const withRatios = Object.entries(results.scenarios).filter(([, s]) => s.loads.length > 0);
  return withRatios.flatMap(([name, scenario]): Row[] => [
    { kind: 'scenario', text: name },
    ...scenario.loads.flatMap((load): Row[] => [
      { kind: 'load', text: `${load.name} (GET ${load.path})` },
      ...load.contenders.map((c): Row => ({
        kind: 'bar',
        text: c.name === scenario.baseline ? `${c.name} (baseline)` : c.name,
        ratio: c.ratio,
        baseline: c.name === scenario.baseline,
      })),
    ]),
  ]);
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
