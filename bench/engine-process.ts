// planecheck's engine measured in a fresh process, so that "cold" really is cold.
// argv: mode (engine | cycle) url planes concurrency pollInterval cycles. Prints one JSON line.
// - engine: the checker alone, cycle after cycle.
// - cycle: full daemon cycles (checker, SQLite, status board, metrics), each followed by a checker run.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChecker } from '../src/check/checker.js';
import { parseConfig } from '../src/config/parse.js';
import { CheckCycle } from '../src/daemon/check-cycle.js';
import { createLogger } from '../src/log/logger.js';
import { PlanecheckMetrics } from '../src/metrics/metrics.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { StatusBoard } from '../src/store/status-board.js';
import { measure, median, peakRssMb, sandboxPlanesYaml, summarize } from './measure.js';

const [mode = 'cycle', url = '', planesArg = '1000', concurrencyArg = '50', pollMs = '10', cyclesArg = '4'] =
  process.argv.slice(2);
const PLANES = Number(planesArg);
const CYCLES = Number(cyclesArg);

const config = parseConfig(
  `schedule: { interval: 1m, cacheTtl: 2m, concurrency: ${concurrencyArg}, planeTimeout: 45s }
platform: { controlPlaneUrl: "${url}", apiKey: bench-key, pollInterval: ${pollMs}ms }
workloadPlanes:
${sandboxPlanesYaml(url, PLANES)}
`,
);
const out: Record<string, number> = { peakRssAtStartMb: peakRssMb() };
const checker = createChecker(config);
if (mode === 'engine') {
  const runs = [];
  for (let i = 0; i < CYCLES; i++)
    runs.push(await measure(PLANES, () => checker.check(config.workloadPlanes)));
  Object.assign(out, summarize(runs));
} else {
  const names = config.workloadPlanes.map((plane) => plane.name);
  const store = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'planecheck-bench-')), 'bench.db'));
  const board = new StatusBoard(names, config.schedule.cacheTtl);
  const metrics = new PlanecheckMetrics(names, board);
  const cycle = new CheckCycle({
    planes: config.workloadPlanes,
    checker,
    store,
    board,
    metrics,
    log: createLogger('warn'),
    historyRetentionMs: config.storage.historyRetention,
    instance: 'bench',
    checkpoint: () => store.checkpoint(),
  });
  const signal = new AbortController().signal;
  const full = [];
  const engine = [];
  for (let i = 0; i < CYCLES; i++) {
    full.push(await measure(PLANES, () => cycle.run(signal)));
    engine.push(await measure(PLANES, () => checker.check(config.workloadPlanes)));
  }
  out.healthy = board.states().filter((state) => state.status === 'HEALTHY').length;
  out.coldCpuMs = full[0]?.cpu ?? NaN;
  out.warmCpuMs = median(engine.slice(1).map((r) => r.cpu));
  out.warmFullCpuMs = median(full.slice(1).map((r) => r.cpu));
  out.warmWallMs = median(full.slice(1).map((r) => r.wall));
  const refreshStarted = performance.now();
  metrics.recordCycle(1);
  await metrics.refresh();
  out.metricsRefreshMs = performance.now() - refreshStarted;
  await store.close();
}
await checker.close();
out.peakRssMb = peakRssMb();
process.stdout.write(`${JSON.stringify(out)}\n`);
