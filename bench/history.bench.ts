// The history at scale: 1,000 planes checked every minute for 7 days (the default retention), written
// through the store's own write path (saveResults, as the daemon's ResultWriter calls it) and pruned as
// the daemon prunes it. Then: the database's size, and the longest the event loop is held by what the
// daemon does with it: availability for the page (every plane), a plane's history request, and a
// cycle's writes, pruning and WAL checkpoint. Reports; asserts nothing.
//
//   node --import tsx bench/history.bench.ts        (also the last part of npm run bench)
//   BENCH_PLANES=1000 BENCH_HISTORY_DAYS=7 BENCH_DB=/path/kept.db node --import tsx bench/history.bench.ts
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { StepReport } from '../src/check/report.js';
import { AvailabilityCache } from '../src/store/availability.js';
import type { StoredResult } from '../src/check/stored-result.js';
import { openSqliteStore, type SqliteResultStore } from '../src/store/sqlite-store.js';
import { median } from './measure.js';

const PLANES = Number(process.env.BENCH_PLANES ?? 1000);
const DAYS = Number(process.env.BENCH_HISTORY_DAYS ?? 7);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const RETENTION = DAYS * 24 * HOUR;
/** As the daemon's check cycle prunes (src/daemon/check-cycle.ts). */
const PRUNE_BATCH = 100;
/** Seeded past the retention by this much, so pruning has reached its steady state. */
const EXTRA_HOURS = 2;
const MEASURED_CYCLES = 10;

const dir = mkdtempSync(join(tmpdir(), 'planecheck-history-bench-'));
const path = process.env.BENCH_DB ?? join(dir, 'planecheck.db');
const planes = Array.from({ length: PLANES }, (_, i) => `plane-${i}`);

/** A small deterministic generator, so every run stores the same history. */
let seed = 42;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}
const tenths = (min: number, max: number) => Math.round((min + random() * (max - min)) * 10) / 10;

/** A check as the daemon stores one: mostly healthy, 2% failing with a reason and a detail, 0.5% NO_USER. */
function check(plane: string, checkedAt: number): StoredResult {
  const roll = random();
  const user: StepReport = { step: 'user_lookup', outcome: 'ok', durationMs: tenths(1, 8) };
  if (roll < 0.005) {
    return {
      plane,
      status: 'NO_USER',
      reason: 'user_not_found',
      checkedAt,
      durationMs: user.durationMs,
      steps: [{ ...user, outcome: 'not_found' }],
      checkedBy: checker(),
    };
  }
  const steps: StepReport[] = [
    user,
    { step: 'oracle_lookup', outcome: 'ok', durationMs: tenths(1, 8) },
    { step: 'predict', outcome: 'ok', durationMs: tenths(3, 60) },
    { step: 'async_predict', outcome: 'ok', durationMs: tenths(1_000, 3_000) },
  ];
  let status: StoredResult['status'] = 'HEALTHY';
  let reason: string | null = null;
  if (roll < 0.025) {
    status = 'FAILED';
    reason = 'predict_http_502';
    steps[2] = { step: 'predict', outcome: 'failed', durationMs: tenths(3, 60), reason, detail: 'HTTP 502' };
  }
  const durationMs = Math.round(steps.reduce((sum, step) => sum + step.durationMs, 0) * 10) / 10;
  return { plane, status, reason, checkedAt, durationMs, steps, checkedBy: checker() };
}

/** A fleet of three replicas shares the checks. */
function checker(): string {
  return `planecheck-${Math.floor(random() * 3)}`;
}

/** The results of one cycle at `at`, each plane a few milliseconds after the one before. */
function cycle(at: number): StoredResult[] {
  return planes.map((plane, i) => check(plane, at + i * 3));
}

/** Prunes as the daemon does after a cycle; returns the longest single batch in ms. */
async function prune(store: SqliteResultStore, now: number): Promise<{ batchMs: number[]; cpuMs: number[] }> {
  const batchMs: number[] = [];
  const cpuMs: number[] = [];
  for (;;) {
    const { ms, cpuMs: cpu, value } = timed(() => store.pruneHistory(now - RETENTION, PRUNE_BATCH));
    batchMs.push(ms);
    cpuMs.push(cpu);
    if ((await value) < PRUNE_BATCH) return { batchMs, cpuMs };
    await yieldToLoop();
  }
}

function fileMb(file: string): number {
  return existsSync(file) ? statSync(file).size / 1e6 : 0;
}

/** Wall time of a synchronous call (how long it holds the event loop), and the CPU time it used. */
/**
 * How long `run` holds the event loop. The SQLite store's methods do all their work before they return
 * their (settled) promise, so timing the call is timing the work.
 */
function timed<T>(run: () => T): { ms: number; cpuMs: number; value: T } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = run();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, value };
}

// Seed: whole hours of cycles per saveResults call (the same code path as one result), oldest first.
const now = Math.floor(Date.now() / MINUTE) * MINUTE;
const first = now - RETENTION - EXTRA_HOURS * HOUR;
const seedStarted = performance.now();
let store = openSqliteStore(path);
let stored = 0;
for (let hour = first; hour < now; hour += HOUR) {
  const results: StoredResult[] = [];
  for (let at = hour; at < hour + HOUR; at += MINUTE) results.push(...cycle(at));
  await store.saveResults(results);
  stored += results.length;
  await prune(store, hour + HOUR);
  // As between the daemon's cycles: the checkpoint thread catches up, then the next write starts the WAL over.
  await store.checkpointInBackground();
  store.checkpoint();
  const done = (hour + HOUR - first) / (now - first);
  process.stderr.write(`\rseeding history: ${(done * 100).toFixed(0)}% (${stored} checks stored)`);
}
process.stderr.write('\n');
const seedSeconds = (performance.now() - seedStarted) / 1000;
await store.close();

// Measure on a freshly opened store, as after a restart: nothing of it in SQLite's page cache.
store = openSqliteStore(path);
const rows = Number(store.database.prepare('SELECT count(*) FROM check_history').pluck().get());
const sizeMb = fileMb(path) + fileMb(`${path}-wal`);
// At start the daemon reads every plane's strip once, before it listens: not a request or a cycle.
const startupStrip = timed(() => planes.map((plane) => store.history(plane, 30))).ms;
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();

// The page and /api/v1/status: availability (1 h and 24 h) of every plane, recomputed as the daemon's
// AvailabilityCache does, some planes per turn of the event loop; each turn timed.
const turnMs: number[] = [];
const refreshMs: number[] = [];
let shown = 0;
for (let i = 0; i < 10; i++) {
  const calls: number[] = [];
  const timedStore = {
    availability: (since: number, only?: readonly string[]) => {
      const { ms, value } = timed(() => store.availability(since, only));
      calls.push(ms);
      return value;
    },
  };
  const cache = new AvailabilityCache(timedStore, planes);
  const started = performance.now();
  await cache.refresh(now);
  refreshMs.push(performance.now() - started);
  // A turn asks for the hour and the day of the same planes.
  for (let call = 0; call < calls.length; call += 2) turnMs.push((calls[call] ?? 0) + (calls[call + 1] ?? 0));
  shown = planes.filter((plane) => cache.get(plane, now).h24 !== null).length;
  await yieldToLoop();
}

// GET /api/v1/planes/{plane}/history?limit=1000 (the cap), read and serialized; and the page's strip.
const historyMs: number[] = [];
const stripMs: number[] = [];
for (let i = 0; i < 50; i++) {
  const plane = planes[Math.floor(random() * PLANES)] ?? 'plane-0';
  const read = timed(() => store.history(plane, 1_000));
  const results = await read.value;
  historyMs.push(read.ms + timed(() => JSON.stringify(results)).ms);
  stripMs.push(timed(() => store.history(plane, 30)).ms);
  await yieldToLoop();
}

// Cycles as the daemon runs them: one transaction per result as each arrives, then pruning in batches,
// then checkpoint() (the daemon calls it every 10 cycles; here after each).
const writeMs: number[] = [];
const writeCpuMs: number[] = [];
const pruneMs: number[] = [];
const pruneCpuMs: number[] = [];
const checkpointMs: number[] = [];
for (let c = 0; c < MEASURED_CYCLES; c++) {
  const at = now + c * MINUTE;
  for (const result of cycle(at)) {
    const write = timed(() => store.saveResults([result]));
    await write.value;
    writeMs.push(write.ms);
    writeCpuMs.push(write.cpuMs);
    await yieldToLoop();
  }
  const pruning = await prune(store, at + MINUTE);
  pruneMs.push(...pruning.batchMs);
  pruneCpuMs.push(...pruning.cpuMs);
  // The daemon is idle until the next cycle: the checkpoint thread catches up.
  await store.checkpointInBackground();
  checkpointMs.push(timed(() => store.checkpoint()).ms);
  await yieldToLoop();
}
loop.disable();
// For comparison only, outside the event-loop figure: every plane's availability in one call.
const allAtOnceMs: number[] = [];
for (let i = 0; i < 5; i++) {
  allAtOnceMs.push(timed(() => [store.availability(now - HOUR), store.availability(now - 24 * HOUR)]).ms);
  await yieldToLoop();
}
await store.close();
if (process.env.BENCH_DB === undefined) rmSync(dir, { recursive: true, force: true });

const max = (values: number[]) => Math.max(...values);
const f = (n: number, digits = 1) => n.toFixed(digits);
const results: [string, string, string][] = [
  [`checks stored (${PLANES} planes, one a minute, ${DAYS} days)`, String(rows), ''],
  ['database file (+ WAL), after pruning to the retention', `${f(sizeMb, 0)} MB`, 'target < 500 MB'],
  ['bytes per stored check, all tables', f((sizeMb * 1e6) / rows), ''],
  [
    'availability, 1 h + 24 h, 50 planes per turn (worst turn)',
    `${f(max(turnMs))} ms`,
    `median ${f(median(turnMs))} ms; all ${shown} planes in ${f(median(refreshMs))} ms`,
  ],
  [
    'availability, 1 h + 24 h, every plane in one call',
    `${f(max(allAtOnceMs))} ms`,
    `median ${f(median(allAtOnceMs))} ms; not what the daemon does`,
  ],
  [
    'history request, 1,000 results + JSON (worst of 50)',
    `${f(max(historyMs))} ms`,
    `median ${f(median(historyMs))} ms`,
  ],
  [
    'history strip, 30 results (worst of 50)',
    `${f(max(stripMs))} ms`,
    `all ${PLANES} planes at start: ${f(startupStrip)} ms`,
  ],
  [
    `cycle write, one result per transaction (worst of ${writeMs.length})`,
    `${f(max(writeMs))} ms`,
    `median ${f(median(writeMs), 3)} ms; most CPU in one ${f(max(writeCpuMs))} ms`,
  ],
  [
    `pruning, one batch of ${PRUNE_BATCH} (worst of ${pruneMs.length})`,
    `${f(max(pruneMs))} ms`,
    `median ${f(median(pruneMs))} ms; most CPU in one ${f(max(pruneCpuMs))} ms`,
  ],
  [
    'WAL checkpoint after a cycle (worst)',
    `${f(max(checkpointMs))} ms`,
    `median ${f(median(checkpointMs))} ms`,
  ],
  ['event loop delay while measuring (max)', `${f(loop.max / 1e6)} ms`, 'target <= 50 ms'],
];
const width = Math.max(...results.map(([name]) => name.length));
console.log(
  `\nplanecheck history benchmark: node ${process.version}, ${PLANES} planes, ${DAYS} days; seeded in ${f(seedSeconds, 0)} s\n`,
);
for (const [name, value, note] of results)
  console.log(`${name.padEnd(width)}  ${value.padStart(10)}  ${note}`);
