// npm run bench: planecheck's daemon engine against the sandbox platform, next to a bare undici
// client doing the same requests. Every run is its own process, built with esbuild like dist/, so
// cold figures are cold and RSS is the run's alone. Reports; asserts nothing.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { Agent, request } from 'undici';

const PLANES = Number(process.env.BENCH_PLANES ?? 1000);
const CONCURRENCY = 50;
const THROUGHPUT_PLANES = 2000;
const THROUGHPUT_CONCURRENCY = 600;

await build({
  entryPoints: ['bench/engine-process.ts', 'bench/sandbox-process.ts'],
  outdir: '.bench',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});

/** Node flags for the measured processes (not the sandbox), e.g. BENCH_NODE_FLAGS=--max-semi-space-size=4. */
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);

function run(script: string, args: (string | number)[], nodeFlags: string[] = []) {
  const child = spawn(process.execPath, [...nodeFlags, `.bench/${script}`, ...args.map(String)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  const buffered: string[] = [];
  lines.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else buffered.push(line);
  });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      const line = buffered.shift();
      if (line !== undefined) return resolve(line);
      waiting.push(resolve);
      child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    });
  return { child, nextLine, firstLine: nextLine() };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Scrapes /metrics as Prometheus does (gzip): 5 warm-ups, 50 one after another, then 50 at once; and 50 plain. */
async function scrapeMetrics(url: string) {
  const agent = new Agent();
  let bytes = 0;
  const scrape = async (gzip = true) => {
    const started = performance.now();
    const res = await request(url, { dispatcher: agent, headers: gzip ? { 'accept-encoding': 'gzip' } : {} });
    const body = await res.body.arrayBuffer();
    if (gzip) bytes = body.byteLength;
    return performance.now() - started;
  };
  for (let i = 0; i < 5; i++) await scrape();
  const sequential: number[] = [];
  for (let i = 0; i < 50; i++) sequential.push(await scrape());
  const concurrent = await Promise.all(Array.from({ length: 50 }, () => scrape()));
  const plain: number[] = [];
  for (let i = 0; i < 50; i++) plain.push(await scrape(false));
  await agent.close();
  return {
    medianMs: median(sequential),
    concurrentWorstMs: Math.max(...concurrent),
    plainMedianMs: median(plain),
    kib: bytes / 1024,
  };
}

async function sandbox(planes: number, latencyMs: number) {
  const started = run('sandbox-process.js', [planes, latencyMs]);
  return {
    url: (JSON.parse(await started.firstLine) as { url: string }).url,
    stop: () => started.child.kill('SIGTERM'),
  };
}

async function engine(
  mode: 'daemon' | 'engine' | 'bare',
  url: string,
  planes: number,
  concurrency: number,
  pollMs: number,
  cycles = 8,
) {
  const started = run('engine-process.js', [mode, url, planes, concurrency, pollMs, cycles], NODE_FLAGS);
  let line = await started.firstLine;
  let scrapes: Awaited<ReturnType<typeof scrapeMetrics>> | undefined;
  const metricsUrl = (JSON.parse(line) as { metricsUrl?: string }).metricsUrl;
  if (metricsUrl) {
    scrapes = await scrapeMetrics(metricsUrl);
    started.child.stdin.end('done\n');
    line = await started.nextLine();
  }
  const figures = JSON.parse(line) as Record<string, number | undefined>;
  return Object.assign(figures, { scrapes });
}

const fast = await sandbox(PLANES, 0);
const daemon = await engine('daemon', fast.url, PLANES, CONCURRENCY, 10);
const bare = await engine('bare', fast.url, PLANES, CONCURRENCY, 10);
const engineOnly = await engine('engine', fast.url, PLANES, CONCURRENCY, 10);
fast.stop();

const slow = await sandbox(THROUGHPUT_PLANES, 20);
const throughput = await engine('daemon', slow.url, THROUGHPUT_PLANES, THROUGHPUT_CONCURRENCY, 100, 2);
slow.stop();

const f = (n: number | undefined, digits = 2) => (n === undefined ? '?' : n.toFixed(digits));
const ratio = (daemon.warmCpuMs ?? NaN) / (bare.warmCpuMs ?? NaN);
const planesPerCycle = (THROUGHPUT_PLANES / (throughput.warmWallMs ?? NaN)) * 60_000;
const rows: [string, string, string][] = [
  ['healthy results', `${daemon.healthy}/${PLANES}`, ''],
  [
    `cycle wall time, warm (${PLANES} planes, concurrency ${CONCURRENCY})`,
    `${f(daemon.warmWallMs, 0)} ms`,
    '',
  ],
  ['CPU per check, first cycle, engine (checker)', `${f(engineOnly.coldCpuMs, 3)} ms`, 'target <= 1 ms'],
  ['CPU per check, first cycle, full daemon cycle', `${f(daemon.coldCpuMs, 3)} ms`, ''],
  ['CPU per check, warm, engine (checker)', `${f(daemon.warmCpuMs, 3)} ms`, ''],
  [
    'CPU per check, warm, bare undici client',
    `${f(bare.warmCpuMs, 3)} ms`,
    `first cycle ${f(bare.coldCpuMs, 3)} ms`,
  ],
  ['engine / bare client, warm', `${f(ratio)}x`, 'target <= 1.3x'],
  ['CPU per check, warm, full cycle (+ SQLite, metrics)', `${f(daemon.warmFullCpuMs, 3)} ms`, ''],
  [
    `planes per 60 s cycle, 20 ms platform latency (concurrency ${THROUGHPUT_CONCURRENCY})`,
    f(planesPerCycle, 0),
    'target >= 25,000',
  ],
  [
    '/metrics median of 50 sequential scrapes (gzip, as Prometheus)',
    `${f(daemon.scrapes?.medianMs)} ms`,
    'target <= 10 ms',
  ],
  ['/metrics worst of 50 concurrent scrapes (gzip)', `${f(daemon.scrapes?.concurrentWorstMs)} ms`, ''],
  ['/metrics median of 50 sequential scrapes (plain text)', `${f(daemon.scrapes?.plainMedianMs)} ms`, ''],
  ['/metrics size over gzip', `${f(daemon.scrapes?.kib, 0)} KiB`, ''],
  ['histogram/counter render, once per cycle', `${f(daemon.metricsRefreshMs)} ms`, ''],
  ['peak RSS, daemon engine (cycles, then 100 scrapes)', `${f(daemon.peakRssMb, 0)} MB`, 'target <= 120 MB'],
  ['peak RSS, daemon engine before the scrapes', `${f(daemon.peakRssBeforeScrapesMb, 0)} MB`, ''],
  [
    'peak RSS, daemon engine once started (modules loaded, config parsed)',
    `${f(daemon.peakRssAtStartMb, 0)} MB`,
    '',
  ],
  ['peak RSS, bare client', `${f(bare.peakRssMb, 0)} MB`, ''],
  [
    `peak RSS, ${THROUGHPUT_PLANES} planes at concurrency ${THROUGHPUT_CONCURRENCY}`,
    `${f(throughput.peakRssMb, 0)} MB`,
    '',
  ],
];
const width = Math.max(...rows.map(([name]) => name.length));
const flags = NODE_FLAGS.length > 0 ? ` ${NODE_FLAGS.join(' ')}` : '';
console.log(
  `planecheck benchmark: node${flags} ${process.version}, ${PLANES} planes, 5 requests + 1 poll each\n`,
);
for (const [name, value, note] of rows) console.log(`${name.padEnd(width)}  ${value.padStart(10)}  ${note}`);
