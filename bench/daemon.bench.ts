// npm run bench: planecheck against the sandbox platform, next to a bare undici client doing the same
// requests. CPU figures come from the engine in a fresh process (built with esbuild like dist/), so
// cold is cold; memory and /metrics figures from the daemon itself, `node dist/daemon.js`.
// Every run is its own process. Reports; asserts nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, peakRssMb } from './measure.js';
import {
  buildBenchProcesses,
  DaemonProcess,
  daemonConfigYaml,
  scrapeMetrics,
  spawnNode,
  startSandbox,
} from './processes.js';

const PLANES = Number(process.env.BENCH_PLANES ?? 1000);
const CONCURRENCY = 50;
const THROUGHPUT_PLANES = 2000;
const THROUGHPUT_CONCURRENCY = 600;
const COLD_RUNS = 5;

await buildBenchProcesses(['bench/engine-process.ts', 'bench/bare-process.ts', 'bench/sandbox-process.ts']);

/** Node flags for the measured processes (not the sandbox), e.g. BENCH_NODE_FLAGS=--max-semi-space-size=4. */
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);

async function measured(
  script: 'engine-process.js' | 'bare-process.js',
  args: (string | number)[],
): Promise<Record<string, number | undefined>> {
  const started = spawnNode(`.bench/${script}`, args, { nodeFlags: NODE_FLAGS });
  return JSON.parse(await started.nextLine()) as Record<string, number | undefined>;
}

/**
 * How the daemon is run for memory figures. Peak RSS depends on the schedule: between 60 s cycles V8's
 * memory reducer runs full collections and shrinks the heap; at a 2 s interval it never gets the idle
 * time, and garbage builds up in the old generation until its first full collection, which comes after
 * about 15 cycles here. So the production schedule is measured, and a 2 s schedule long enough to pass
 * that first collection, as the worst case.
 */
const SCHEDULES = {
  production: { yaml: `concurrency: ${CONCURRENCY}`, cycles: 3 },
  stress: {
    yaml: `interval: 2s, cacheTtl: 1m, concurrency: ${CONCURRENCY}, planeTimeout: 1900ms`,
    cycles: 40,
  },
};

/**
 * The daemon as it runs in production, `node dist/daemon.js --config FILE`, for a number of cycles,
 * then scraped; peak RSS from its /proc status.
 */
async function daemonProcess(url: string, planes: number, schedule: { yaml: string; cycles: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'planecheck-bench-'));
  const configPath = join(dir, 'planecheck.yaml');
  writeFileSync(
    configPath,
    daemonConfigYaml(url, planes, schedule.yaml, `path: "${join(dir, 'planecheck.db')}"`),
  );
  const daemon = await DaemonProcess.start(configPath, { nodeFlags: NODE_FLAGS });
  try {
    // At most a minute per cycle (the default interval) and two more for the first.
    const last = await daemon.nthCycle(schedule.cycles, (schedule.cycles + 2) * 60_000);
    const peakRssBeforeScrapesMb = peakRssMb(daemon.pid);
    const scrapes = await scrapeMetrics(`${daemon.url}/metrics`);
    return {
      healthy: last.entry.statuses?.HEALTHY ?? 0,
      peakRssBeforeScrapesMb,
      peakRssMb: peakRssMb(daemon.pid),
      scrapes,
    };
  } finally {
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fast = await startSandbox(PLANES, 0);
const cycle = await measured('engine-process.js', ['cycle', fast.url, PLANES, CONCURRENCY, 10, 8]);
const bare = await measured('bare-process.js', [fast.url, PLANES, CONCURRENCY, 10, 8]);
// A first cycle happens once per process and moves by ±20% between processes on a shared machine: take
// the median of several fresh processes, alternating engine and bare client so that both see the same
// machine.
const coldEngine: number[] = [];
const coldBare: number[] = [];
for (let i = 0; i < COLD_RUNS; i++) {
  coldEngine.push(
    (await measured('engine-process.js', ['engine', fast.url, PLANES, CONCURRENCY, 10, 1])).coldCpuMs ?? NaN,
  );
  coldBare.push((await measured('bare-process.js', [fast.url, PLANES, CONCURRENCY, 10, 1])).coldCpuMs ?? NaN);
}
const daemon = await daemonProcess(fast.url, PLANES, SCHEDULES.production);
const stressed = await daemonProcess(fast.url, PLANES, SCHEDULES.stress);
await fast.stop();

const slow = await startSandbox(THROUGHPUT_PLANES, 20);
const throughput = await measured('engine-process.js', [
  'cycle',
  slow.url,
  THROUGHPUT_PLANES,
  THROUGHPUT_CONCURRENCY,
  100,
  2,
]);
await slow.stop();

const f = (n: number | undefined, digits = 2) => (n === undefined ? '?' : n.toFixed(digits));
const range = (values: number[]) => `${f(Math.min(...values), 2)}-${f(Math.max(...values), 2)} ms`;
const ratio = (cycle.warmCpuMs ?? NaN) / (bare.warmCpuMs ?? NaN);
const planesPerCycle = (THROUGHPUT_PLANES / (throughput.warmWallMs ?? NaN)) * 60_000;
const rows: [string, string, string][] = [
  [
    'healthy results (engine cycles / daemon, 60 s and 2 s)',
    `${cycle.healthy}, ${daemon.healthy}, ${stressed.healthy} of ${PLANES}`,
    '',
  ],
  [
    `cycle wall time, warm (${PLANES} planes, concurrency ${CONCURRENCY})`,
    `${f(cycle.warmWallMs, 0)} ms`,
    '',
  ],
  [
    `CPU per check, first cycle, engine (checker; median of ${COLD_RUNS} processes)`,
    `${f(median(coldEngine), 3)} ms`,
    `target <= 1 ms; runs ${range(coldEngine)}`,
  ],
  [
    `CPU per check, first cycle, bare undici client (median of ${COLD_RUNS})`,
    `${f(median(coldBare), 3)} ms`,
    `runs ${range(coldBare)}`,
  ],
  [
    'first cycle, engine, in warm checks of the bare client',
    `${f(median(coldEngine) / (bare.warmCpuMs ?? NaN), 1)}x`,
    // The reference machine: bare warm check 0.18 ms, first-cycle target 1 ms.
    'issue: 1 ms / 0.18 ms = 5.6x',
  ],
  ['CPU per check, first cycle, full daemon cycle', `${f(cycle.coldCpuMs, 3)} ms`, ''],
  ['CPU per check, warm, engine (checker)', `${f(cycle.warmCpuMs, 3)} ms`, ''],
  ['CPU per check, warm, bare undici client', `${f(bare.warmCpuMs, 3)} ms`, ''],
  ['engine / bare client, warm', `${f(ratio)}x`, 'target <= 1.3x'],
  ['CPU per check, warm, full cycle (+ SQLite, metrics)', `${f(cycle.warmFullCpuMs, 3)} ms`, ''],
  [
    `planes per 60 s cycle, 20 ms platform latency (concurrency ${THROUGHPUT_CONCURRENCY})`,
    f(planesPerCycle, 0),
    'target >= 25,000',
  ],
  [
    '/metrics median of 50 sequential scrapes (gzip, as Prometheus)',
    `${f(daemon.scrapes.medianMs)} ms`,
    'target <= 10 ms',
  ],
  ['/metrics worst of 50 concurrent scrapes (gzip)', `${f(daemon.scrapes.concurrentWorstMs)} ms`, ''],
  ['/metrics median of 50 sequential scrapes (plain text)', `${f(daemon.scrapes.plainMedianMs)} ms`, ''],
  ['/metrics size over gzip', `${f(daemon.scrapes.kib, 0)} KiB`, ''],
  ['histogram/counter render, once per cycle', `${f(cycle.metricsRefreshMs)} ms`, ''],
  [
    `peak RSS, node dist/daemon.js, default 60 s schedule (${SCHEDULES.production.cycles} cycles, 150 scrapes)`,
    `${f(daemon.peakRssMb, 0)} MB`,
    'target <= 120 MB',
  ],
  ['peak RSS, the same before the scrapes', `${f(daemon.peakRssBeforeScrapesMb, 0)} MB`, ''],
  [
    `peak RSS, node dist/daemon.js, 2 s schedule (${SCHEDULES.stress.cycles} cycles, 150 scrapes)`,
    `${f(stressed.peakRssMb, 0)} MB`,
    'worst case',
  ],
  ['peak RSS, engine process (16 cycles)', `${f(cycle.peakRssMb, 0)} MB`, ''],
  [
    'peak RSS, engine process once started (modules loaded, config parsed)',
    `${f(cycle.peakRssAtStartMb, 0)} MB`,
    '',
  ],
  ['peak RSS, bare client (loads undici only; 8 cycles)', `${f(bare.peakRssMb, 0)} MB`, ''],
  [
    `peak RSS, engine process, ${THROUGHPUT_PLANES} planes at concurrency ${THROUGHPUT_CONCURRENCY}`,
    `${f(throughput.peakRssMb, 0)} MB`,
    '',
  ],
];
const width = Math.max(...rows.map(([name]) => name.length));
const flags = NODE_FLAGS.length > 0 ? ` ${NODE_FLAGS.join(' ')}` : '';
console.log(
  `planecheck benchmark: node${flags} ${process.version}, ${PLANES} planes, 5 requests each (2 lookups, predict, async submit, 1 poll)\n`,
);
for (const [name, value, note] of rows) console.log(`${name.padEnd(width)}  ${value.padStart(10)}  ${note}`);
