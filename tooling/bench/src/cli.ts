import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopAll } from '@koa-fleet/testkit';
import { NoResultsError } from './errors.js';
import { pickLoadTool } from './load/pick-load-tool.js';
import { parseBenchArgs, selectScenarios, USAGE } from './options.js';
import { headlinesOf } from './report/headline.js';
import { renderMarkdown } from './report/markdown.js';
import { writeReadmeQuotes } from './report/readme-quotes.js';
import { summarize, type ResultsFile, type ScenarioResult } from './report/results.js';
import { readResults, renderReport, writeReport } from './report/write-report.js';
import { runScenario } from './run-scenario.js';
import type { RunningServer } from './scenario.js';
import { scenarios } from './scenarios/index.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DOCS_DIR = fileURLToPath(new URL('../../../docs/benchmarks/', import.meta.url));
const running = new Set<RunningServer>();

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  if (options.list) {
    for (const s of scenarios) console.log(`${s.name}\t${s.description}`);
    return;
  }
  const outDir = options.outDir ?? DOCS_DIR;
  const headlines = headlinesOf(scenarios);
  if (options.render) {
    const results = readResults(outDir);
    if (!results) throw new NoResultsError(outDir);
    const files = renderReport(outDir, results, headlines);
    console.log(`wrote ${[...files, ...quoteCommitted(outDir, results)].join(', ')}`);
    return;
  }
  const selected = selectScenarios(options.names, scenarios);
  const loadTool = pickLoadTool();
  const fresh: Record<string, ScenarioResult> = {};
  for (const scenario of selected) {
    const durationSec = options.durationSec ?? scenario.durationSec;
    const warmupSec = options.warmupSec ?? scenario.warmupSec;
    console.log(
      `▶ ${scenario.name}: ${options.repeats} repeats × ${durationSec} s (+${warmupSec} s warm-up), load by ${loadTool.name}`,
    );
    const run = await runScenario(scenario, {
      repeats: options.repeats,
      durationSec,
      warmupSec,
      loadTool,
      running,
      onMeasured: ({ repeat, load, contender }, m) =>
        console.log(
          `  repeat ${repeat + 1}/${options.repeats} · ${load.name} · ${contender.name}: ` +
            `${Math.round(m.requestsPerSec)} req/s, p99 ${m.p99Ms.toFixed(2)} ms, ` +
            `${m.non2xx} non-2xx, ${m.socketErrors} socket errors`,
        ),
      onCounted: ({ repeat, load, contender }, m) =>
        console.log(
          `  repeat ${repeat + 1}/${options.repeats} · ${load.name} · ${contender.name}: ` +
            Object.entries({ ...m.counts, ...m.context })
              .map(([name, value]) => `${name} ${value}`)
              .join(', '),
        ),
    });
    fresh[scenario.name] = summarize(run);
  }
  const { results, files } = writeReport(outDir, fresh, headlines);
  const justRun = { ...results, scenarios: fresh };
  console.log('\n' + renderMarkdown(justRun, headlines));
  console.log(`wrote ${[...files, ...quoteCommitted(outDir, results)].join(', ')}`);
}

// The READMEs quote the committed figures only: a run into another --out leaves them alone.
function quoteCommitted(outDir: string, results: ResultsFile): string[] {
  if (resolve(outDir) !== resolve(DOCS_DIR)) return [];
  return writeReadmeQuotes(REPO_ROOT, results, headlinesOf(scenarios));
}

// Ctrl-C: stop every server (PM2 daemons included), then exit as interrupted. A listener stays
// registered (`on`, not `once`) so the test kit's own signal hook does not re-raise the signal
// and end the process before `pm2 kill` finished; a second Ctrl-C exits at once.
async function stopRunning(): Promise<void> {
  await Promise.allSettled([...running].map((server) => server.stop()));
  await stopAll().catch(() => {});
}
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: stopping servers…`);
    void stopRunning().finally(() => process.exit(130));
  });
}

main().catch(async (error: unknown) => {
  await stopRunning();
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'KF_INVALID_OPTION' || code.startsWith('ERR_PARSE_ARGS')) {
    console.error(USAGE);
  }
  process.exit(1);
});
