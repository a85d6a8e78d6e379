// npm run bench, fleet part: 3 replicas of `node dist/daemon.js` sharing one local PostgreSQL, against one
// daemon on SQLite, both checking the same sandbox planes (5,000 by default) in the same run, one after the
// other so that neither takes CPU from the other. For each: the CPU of its whole processes over one warm
// interval (from /proc/PID/stat), the checks the platform saw in that interval, per plane, and /metrics
// latency while a cycle runs. Reports; asserts nothing. Bounded in time; PostgreSQL and every process it
// starts are stopped however it ends.
//
//   node --import tsx bench/fleet.bench.ts                       (after npm run build)
//   BENCH_FLEET_PLANES=300 BENCH_FLEET_INTERVAL_S=5 node --import tsx bench/fleet.bench.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { request } from 'undici';
import { startPostgres } from '../test/helpers/postgres.js';
import { median, parentPid, peakRssMb, processCpuMs, processTreeCpuMs } from './measure.js';
import {
  buildBenchProcesses,
  DaemonProcess,
  daemonConfigYaml,
  metricValue,
  ProcessExitedError,
  scrapeWhile,
  startSandbox,
  type FinishedCycle,
  type Sandbox,
} from './processes.js';

const PLANES = Number(process.env.BENCH_FLEET_PLANES ?? 5000);
const INTERVAL_MS = Number(process.env.BENCH_FLEET_INTERVAL_S ?? 30) * 1000;
const REPLICAS = ['r1', 'r2', 'r3'];
const CONCURRENCY = 50;
/** A healthy sandbox plane's check: user and model lookups, predict, async submit, one poll. */
const REQUESTS_PER_CHECK = 5;
/** A cycle that starts this much before a boundary (as the benchmark reads the clock) still counts as its. */
const BOUNDARY_SLACK_MS = 1_000;
/** How long any one wait may take: the first cycle, then three intervals, with room for a slow machine. */
const WAIT_MS = 4 * INTERVAL_MS + 180_000;
/** The whole run, PostgreSQL's start and both phases, is stopped after this. */
const OVERALL_MS = 2 * WAIT_MS + 120_000;

/** Node flags for the daemons, as in daemon.bench.ts (e.g. BENCH_NODE_FLAGS=--cpu-prof to profile them). */
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);

/**
 * Platform timeouts roomy enough that no check fails on a busy machine: three replicas at concurrency 50
 * keep 150 requests in flight on the sandbox's one thread, where 1 s sometimes runs out.
 */
const TIMEOUTS = 'requestTimeout: 3s, asyncTimeout: 3s';
const SCHEDULE = `interval: ${INTERVAL_MS / 1000}s, cacheTtl: ${(4 * INTERVAL_MS) / 1000}s, concurrency: ${CONCURRENCY}, planeTimeout: ${INTERVAL_MS / 1000 - 1}s`;

/** What is open, newest last; closed in reverse order however the benchmark ends. */
const openResources: { name: string; close: () => Promise<unknown> }[] = [];
let closing: Promise<void> | undefined;
/** Closes everything once; every caller (the end of the run, a signal, the time limit) waits for the same. */
function closeAll(): Promise<void> {
  closing ??= (async () => {
    for (const resource of openResources.splice(0).reverse()) {
      try {
        await resource.close();
      } catch (error) {
        process.stderr.write(`fleet benchmark: could not close ${resource.name}: ${String(error)}\n`);
      }
    }
  })();
  return closing;
}
function interrupted(why: string, code: number) {
  process.stderr.write(`fleet benchmark: ${why}; stopping what it started\n`);
  process.exitCode = code;
  void closeAll().finally(() => process.exit(code));
}
process.once('SIGINT', () => interrupted('interrupted', 130));
process.once('SIGTERM', () => interrupted('terminated', 143));
setTimeout(() => interrupted(`still running after ${OVERALL_MS / 60_000} minutes`, 1), OVERALL_MS).unref();

/** The next schedule boundary after `at` (the daemons' cron ticks at multiples of the interval, UTC). */
const nextBoundary = (at: number) => Math.ceil(at / INTERVAL_MS) * INTERVAL_MS;
const startedFrom = (boundary: number) => (cycle: FinishedCycle) =>
  cycle.startedAt >= boundary - BOUNDARY_SLACK_MS;

/** Each daemon's first cycle that started at `boundary` or later, once all have finished. */
function cyclesFrom(daemons: DaemonProcess[], boundary: number): Promise<FinishedCycle[]> {
  return Promise.all(daemons.map((daemon) => daemon.cycle(startedFrom(boundary), WAIT_MS)));
}

/** The database server of a fleet, measured beside the daemons. */
interface DatabaseServer {
  /** CPU ms all its processes have used so far. */
  cpuMs(): number;
  /** Transactions committed in the fleet's database so far (PostgreSQL's statistics: up to seconds late). */
  transactions(): Promise<number>;
}

interface Reading {
  at: number;
  cpuMs: number[];
  serverCpuMs: number;
  transactions: number;
  requests: Map<string, number>;
}

/**
 * Measures a set of daemons already started (one on SQLite, or the replicas of a fleet): after their first
 * cycle (at start) and the next one (on the schedule) as warm-up, the whole interval from the end of one
 * scheduled cycle to the end of the next: CPU of each process and of the database server (if any), the
 * checks the platform saw, per plane. Then /metrics of the first daemon, scraped while the cycle after runs.
 */
async function measurePhase(daemons: DaemonProcess[], sandbox: Sandbox, server?: DatabaseServer) {
  await Promise.all(daemons.map((daemon) => daemon.nthCycle(1, WAIT_MS)));
  const warmUp = nextBoundary(Date.now());
  await cyclesFrom(daemons, warmUp);
  const read = async (): Promise<Reading> => ({
    at: Date.now(),
    cpuMs: daemons.map((daemon) => processCpuMs(daemon.pid)),
    serverCpuMs: server?.cpuMs() ?? 0,
    transactions: (await server?.transactions()) ?? 0,
    requests: await sandbox.requestCounts(),
  });
  const before = await read();
  const measuredBoundary = warmUp + INTERVAL_MS;
  // The CPU used between cycles (heartbeat and clock timers; in a fleet, reading what the others stored),
  // read just before the measured cycle starts.
  await sleep(Math.max(0, measuredBoundary - 200 - Date.now()));
  const idleCpuMs = daemons.map((daemon, i) => processCpuMs(daemon.pid) - (before.cpuMs[i] ?? NaN));
  const idleMs = Date.now() - before.at;
  const measured = await cyclesFrom(daemons, measuredBoundary);
  const after = await read();

  // /metrics of the first daemon: between cycles (up to 5 s, ending 1 s before the next boundary), then
  // while its next cycle runs.
  const scrapedBoundary = measuredBoundary + INTERVAL_MS;
  const overran = measured.some((cycle) => cycle.finishedAt > scrapedBoundary);
  const first = daemons[0];
  if (first === undefined) throw new Error('no daemon to measure');
  const metricsUrl = `${first.url}/metrics`;
  const idleScrapeMs = await scrapeWhile(
    metricsUrl,
    sleep(Math.min(5_000, scrapedBoundary - Date.now() - 1_000)),
  );
  await sleep(Math.max(0, scrapedBoundary - Date.now()));
  const scrapedCycles = cyclesFrom(daemons, scrapedBoundary);
  const scrapeMs = await scrapeWhile(metricsUrl, first.cycle(startedFrom(scrapedBoundary), WAIT_MS));
  await scrapedCycles;

  // Every daemon's view of every plane, and what the first says of the fleet and its store.
  const healthyServed = await Promise.all(
    daemons.map(async (daemon) => {
      const res = await request(`${daemon.url}/api/v1/status`);
      return ((await res.body.json()) as { summary: Record<string, number> }).summary.HEALTHY ?? 0;
    }),
  );
  const fleetInstances = await metricValue(metricsUrl, 'planecheck_fleet_instances');
  const storageUp = await metricValue(metricsUrl, 'planecheck_storage_up');

  const perPlane = [...after.requests].map(([plane, count]) => count - (before.requests.get(plane) ?? 0));
  const requests = perPlane.reduce((sum, count) => sum + count, 0);
  const checks = requests / REQUESTS_PER_CHECK;
  const cpuMs = after.cpuMs.map((value, i) => value - (before.cpuMs[i] ?? NaN));
  const totalCpuMs = cpuMs.reduce((sum, value) => sum + value, 0);
  const statuses: Record<string, number> = {};
  for (const cycle of measured)
    for (const [status, count] of Object.entries(cycle.entry.statuses ?? {}))
      statuses[status] = (statuses[status] ?? 0) + count;
  const checksBy = measured.map((cycle) =>
    Object.values(cycle.entry.statuses ?? {}).reduce((sum, count) => sum + count, 0),
  );
  return {
    checks,
    checksBy,
    statuses,
    cpuMs,
    cpuPerCheckMs: totalCpuMs / checks,
    serverCpuPerCheckMs: (after.serverCpuMs - before.serverCpuMs) / checks,
    transactions: after.transactions - before.transactions,
    /** CPU between the cycles, per second of that time, summed over the daemons. */
    idleCpuMsPerS: (idleCpuMs.reduce((sum, value) => sum + value, 0) / idleMs) * 1000,
    windowMs: after.at - before.at,
    requestsPerPlane: requests / PLANES,
    checksPerPlane: { min: Math.min(...perPlane), max: Math.max(...perPlane) },
    planesCheckedTwice: perPlane.filter((count) => count > REQUESTS_PER_CHECK).length,
    planesNotChecked: perPlane.filter((count) => count === 0).length,
    oddCounts: perPlane.filter((count) => count % REQUESTS_PER_CHECK !== 0).length,
    cycleMs: Math.max(...measured.map((cycle) => cycle.entry.durationMs ?? NaN)),
    overran,
    scrapeMs,
    idleScrapeMs,
    healthyServed,
    fleetInstances,
    storageUp,
    peakRssMb: daemons.map((daemon) => peakRssMb(daemon.pid)),
  };
}

/** The PostgreSQL server's main process: the parent of a session's backend. */
async function postmasterPid(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return parentPid(Number(rows[0]?.pid));
  } finally {
    await client.end();
  }
}

async function startDaemons(configPath: string, runs: { args: string[]; env?: NodeJS.ProcessEnv }[]) {
  const started = await Promise.allSettled(
    runs.map((run) => DaemonProcess.start(configPath, { ...run, nodeFlags: NODE_FLAGS })),
  );
  const daemons: DaemonProcess[] = [];
  for (const result of started) {
    if (result.status === 'rejected') continue;
    daemons.push(result.value);
    openResources.push({ name: `daemon ${result.value.pid}`, close: () => result.value.stop() });
  }
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return daemons;
}

async function stopDaemons(daemons: DaemonProcess[]) {
  await Promise.all(daemons.map((daemon) => daemon.stop()));
}

await buildBenchProcesses(['bench/sandbox-process.ts']);
const dir = mkdtempSync(join(tmpdir(), 'planecheck-fleet-bench-'));
openResources.push({
  name: dir,
  close: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
});
let single: Awaited<ReturnType<typeof measurePhase>>;
let fleet: Awaited<ReturnType<typeof measurePhase>> | undefined;
let fleetSkipped = '';
try {
  const sandbox = await startSandbox(PLANES, 0);
  openResources.push({ name: 'the sandbox platform', close: () => sandbox.stop() });

  const sqliteConfig = join(dir, 'sqlite.yaml');
  writeFileSync(
    sqliteConfig,
    daemonConfigYaml(sandbox.url, PLANES, SCHEDULE, `path: "${join(dir, 'planecheck.db')}"`, TIMEOUTS),
  );
  const sqliteDaemons = await startDaemons(sqliteConfig, [{ args: [] }]);
  single = await measurePhase(sqliteDaemons, sandbox);
  await stopDaemons(sqliteDaemons);

  const postgres = await startPostgres();
  openResources.push({ name: 'PostgreSQL', close: () => postgres.close() });
  const database = await postgres.createDatabase('planecheck_fleet_bench');
  const databaseUrl = new URL(database);
  const password = decodeURIComponent(databaseUrl.password);
  // As a fleet is configured: the password from the environment, not in the file.
  databaseUrl.password = 'PASSWORD';
  const storageUrl = databaseUrl.href.replace('PASSWORD', '${PLANECHECK_PG_PASSWORD}');
  const fleetConfig = join(dir, 'fleet.yaml');
  writeFileSync(
    fleetConfig,
    daemonConfigYaml(sandbox.url, PLANES, SCHEDULE, `url: "${storageUrl}"`, TIMEOUTS),
  );
  const env = { ...process.env, PLANECHECK_PG_PASSWORD: password };
  let replicas: DaemonProcess[] | undefined;
  try {
    replicas = await startDaemons(
      fleetConfig,
      REPLICAS.map((name) => ({ args: ['--instance', name], env })),
    );
  } catch (error) {
    // Exit code 2 is the daemon refusing its arguments or config: a build without fleet mode.
    if (!(error instanceof ProcessExitedError && error.code === 2)) throw error;
    fleetSkipped = 'dist/daemon.js refused --instance or storage.url (its message is above)';
  }
  if (replicas) {
    const postmaster = await postmasterPid(postgres.url);
    const stats = new pg.Client({ connectionString: database });
    await stats.connect();
    openResources.push({ name: 'the statistics connection', close: () => stats.end() });
    fleet = await measurePhase(replicas, sandbox, {
      cpuMs: () => processTreeCpuMs(postmaster),
      async transactions() {
        const { rows } = await stats.query<{ commits: string }>(
          'SELECT xact_commit AS commits FROM pg_stat_database WHERE datname = current_database()',
        );
        return Number(rows[0]?.commits);
      },
    });
    await stopDaemons(replicas);
  }
} finally {
  await closeAll();
}

const f = (n: number | undefined, digits = 2) =>
  n === undefined || Number.isNaN(n) ? '?' : n.toFixed(digits);
const scrapes = (ms: number[]) =>
  `${f(median(ms))} ms`.padStart(10) + `  worst ${f(Math.max(...ms))} ms of ${ms.length} scrapes`;
/** The statuses the daemons' measured cycles logged. */
const results = (phase: typeof single) =>
  `  results: ${Object.entries(phase.statuses)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ')}`;
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const perPlane = (phase: typeof single) =>
  `${f(phase.requestsPerPlane / REQUESTS_PER_CHECK)}`.padStart(10) +
  `  ${f(phase.requestsPerPlane, 1)} requests; per plane ${phase.checksPerPlane.min / REQUESTS_PER_CHECK}-` +
  `${phase.checksPerPlane.max / REQUESTS_PER_CHECK} checks; ${plural(phase.planesCheckedTwice, 'plane')} twice, ` +
  `${phase.planesNotChecked} not at all` +
  (phase.oddCounts > 0 ? `; ${plural(phase.oddCounts, 'plane')} with a partial check` : '');

const rows: [string, string][] = [
  [
    'healthy planes served (SQLite daemon; each replica)',
    `${single.healthyServed.join(', ')}${fleet ? `; ${fleet.healthyServed.join(', ')}` : ''} of ${PLANES}`,
  ],
  [
    'SQLite daemon: checks the platform saw in the interval',
    f(single.checks, 0).padStart(10) + results(single),
  ],
  ['SQLite daemon: checks per plane per interval', perPlane(single)],
  ['SQLite daemon: CPU per plane check (whole process)', `${f(single.cpuPerCheckMs, 3)} ms`.padStart(10)],
  ['SQLite daemon: cycle wall time', `${f(single.cycleMs, 0)} ms`.padStart(10)],
  ['SQLite daemon: /metrics median between cycles (gzip)', scrapes(single.idleScrapeMs)],
  ['SQLite daemon: /metrics median while a cycle runs (gzip)', scrapes(single.scrapeMs)],
  ['SQLite daemon: peak RSS', `${f(single.peakRssMb[0], 0)} MB`.padStart(10)],
];
if (fleet) {
  rows.push(
    ['fleet: checks the platform saw in the interval', f(fleet.checks, 0).padStart(10) + results(fleet)],
    ['fleet: checks per plane per interval', perPlane(fleet)],
    [
      'fleet: checks per replica (r1, r2, r3)',
      `${fleet.checksBy.join(', ')}`.padStart(10) +
        `  CPU ${fleet.cpuMs.map((ms) => f(ms, 0)).join(', ')} ms`,
    ],
    [
      'fleet: CPU per plane check (3 replicas summed)',
      `${f(fleet.cpuPerCheckMs, 3)} ms`.padStart(10) +
        `  ${f(fleet.cpuPerCheckMs / single.cpuPerCheckMs)}x the SQLite daemon's`,
    ],
    [
      'fleet: + PostgreSQL server (all its processes)',
      `${f(fleet.cpuPerCheckMs + fleet.serverCpuPerCheckMs, 3)} ms`.padStart(10) +
        `  of which PostgreSQL ${f(fleet.serverCpuPerCheckMs, 3)} ms`,
    ],
    [
      'fleet: CPU between cycles (3 replicas summed)',
      `${f(fleet.idleCpuMsPerS, 1)} ms/s`.padStart(10) + `  SQLite daemon ${f(single.idleCpuMsPerS, 1)} ms/s`,
    ],
    [
      'fleet: PostgreSQL transactions in the interval',
      f(fleet.transactions, 0).padStart(10) + '  from pg_stat_database, which lags by up to seconds',
    ],
    ['fleet: cycle wall time (slowest replica)', `${f(fleet.cycleMs, 0)} ms`.padStart(10)],
    ['fleet: /metrics median on r1 between cycles (gzip)', scrapes(fleet.idleScrapeMs)],
    ['fleet: /metrics median on r1 while its cycle runs (gzip)', scrapes(fleet.scrapeMs)],
    [
      'fleet: planecheck_fleet_instances, planecheck_storage_up on r1',
      `${f(fleet.fleetInstances, 0)}, ${f(fleet.storageUp, 0)}`.padStart(10),
    ],
    ['fleet: peak RSS per replica', `${fleet.peakRssMb.map((mb) => f(mb, 0)).join(', ')} MB`.padStart(10)],
  );
}
const width = Math.max(...rows.map(([name]) => name.length));
console.log(
  `\nplanecheck fleet benchmark: node ${process.version}, ${PLANES} planes, every ${INTERVAL_MS / 1000} s, ` +
    `concurrency ${CONCURRENCY} per daemon; one warm interval measured\n`,
);
for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`);
if (single.overran || fleet?.overran)
  console.log('\nA measured cycle ran past the next boundary: the interval is too short for this machine.');
if (!fleet) console.log(`\nfleet part skipped: ${fleetSkipped}.`);
