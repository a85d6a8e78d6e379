// The processes the benchmarks start and talk to: helper scripts that print JSON lines, the sandbox platform
// in a process of its own, and the daemon as it runs in production (`node dist/daemon.js --config FILE`),
// whose /metrics is scraped as Prometheus scrapes it. Shared by daemon.bench.ts and fleet.bench.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from 'esbuild';
import { Agent, request } from 'undici';
import { median, sandboxPlanesYaml } from './measure.js';

/** Builds bench/*-process.ts into .bench/ with esbuild, like dist/, so measured processes do not run tsx. */
export async function buildBenchProcesses(entryPoints: string[]): Promise<void> {
  await build({
    entryPoints,
    outdir: '.bench',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
}

/** A process ended while the benchmark waited for its output. */
export class ProcessExitedError extends Error {
  readonly code: number | null;

  constructor(script: string, code: number | null) {
    super(`${script} exited with ${code}`);
    this.code = code;
  }
}

export interface NodeProcess {
  child: ChildProcess;
  /** The next line on its stdout; rejects when it exits first, or after `timeoutMs`. */
  nextLine(timeoutMs?: number): Promise<string>;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** `node [nodeFlags] script args`, stdout read line by line, stderr passed through. */
export function spawnNode(
  script: string,
  args: (string | number)[],
  { nodeFlags = [], env }: { nodeFlags?: string[]; env?: NodeJS.ProcessEnv } = {},
): NodeProcess {
  const child = spawn(process.execPath, [...nodeFlags, script, ...args.map(String)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: env ?? process.env,
  });
  const lines = createInterface({ input: child.stdout });
  const waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  const buffered: string[] = [];
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  lines.on('line', (line) => {
    const next = waiting.shift();
    if (next) next.resolve(line);
    else buffered.push(line);
  });
  child.once('exit', (code) => {
    exitCode = code;
    for (const next of waiting.splice(0)) next.reject(new ProcessExitedError(script, code));
  });
  const nextLine = (timeoutMs?: number) =>
    new Promise<string>((resolve, reject) => {
      const line = buffered.shift();
      if (line !== undefined) return resolve(line);
      if (exitCode !== undefined) return reject(new ProcessExitedError(script, exitCode));
      const waiter = { resolve, reject };
      waiting.push(waiter);
      if (timeoutMs === undefined) return;
      const timer = setTimeout(() => {
        const index = waiting.indexOf(waiter);
        if (index >= 0) waiting.splice(index, 1);
        reject(new Error(`${script}: no output within ${timeoutMs} ms`));
      }, timeoutMs);
      const settle =
        <T>(done: (value: T) => void) =>
        (value: T) => {
          clearTimeout(timer);
          done(value);
        };
      waiter.resolve = settle(resolve);
      waiter.reject = settle(reject);
    });
  const stop = async (graceMs = 10_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(killer);
  };
  return { child, nextLine, stop };
}

export interface Sandbox {
  url: string;
  /** Requests the platform has served so far, per plane (its admin API; not counted itself). */
  requestCounts(): Promise<Map<string, number>>;
  stop(): Promise<void>;
}

/** The sandbox platform with `planes` healthy planes (plane-0 ..), in its own process (.bench/ built). */
export async function startSandbox(planes: number, latencyMs: number): Promise<Sandbox> {
  const started = spawnNode('.bench/sandbox-process.js', [planes, latencyMs]);
  const { url } = JSON.parse(await started.nextLine(30_000)) as { url: string };
  return {
    url,
    async requestCounts() {
      const res = await request(`${url}/admin/planes`);
      const body = (await res.body.json()) as { planes: Record<string, { requests: number }> };
      return new Map(Object.entries(body.planes).map(([plane, { requests }]) => [plane, requests]));
    },
    stop: () => started.stop(),
  };
}

/**
 * The daemon's config for the sandbox's planes: `schedule`, `storage` and `timeouts` are the insides of flow
 * mappings (`interval: 2s, concurrency: 50`; `path: "/tmp/x.db"`; `requestTimeout: 1s`). Serves on a free
 * loopback port. The async poll is every 10 ms unless `timeouts` names a `pollInterval`.
 */
export function daemonConfigYaml(
  platformUrl: string,
  planes: number,
  schedule: string,
  storage: string,
  timeouts = 'requestTimeout: 1s, asyncTimeout: 1500ms',
): string {
  const poll = /\bpollInterval:/.test(timeouts) ? '' : 'pollInterval: 10ms, ';
  return `schedule: { ${schedule} }
platform: { controlPlaneUrl: "${platformUrl}", apiKey: bench-key, ${poll}${timeouts} }
storage: { ${storage} }
server: { listen: "127.0.0.1:0" }
log: { level: info }
workloadPlanes:
${sandboxPlanesYaml(platformUrl, planes)}
`;
}

/** A line of the daemon's JSON log. */
export interface LogEntry {
  msg: string;
  url?: string;
  durationMs?: number;
  statuses?: Record<string, number>;
  [field: string]: unknown;
}

/** A log line, or undefined for a line that is not one (the log is JSON; anything else is skipped). */
function logEntry(line: string): LogEntry | undefined {
  try {
    const entry: unknown = JSON.parse(line);
    return typeof entry === 'object' && entry !== null && 'msg' in entry ? (entry as LogEntry) : undefined;
  } catch {
    return undefined;
  }
}

/** A finished cycle as the benchmark saw it: the daemon's `cycle finished` line and when it was read. */
export interface FinishedCycle {
  entry: LogEntry;
  finishedAt: number;
  /** `finishedAt` less the cycle's own duration. */
  startedAt: number;
}

/**
 * `node dist/daemon.js --config FILE ...`, its JSON log followed as it runs: the URL it serves on, and each
 * finished cycle, which callers wait for.
 */
export class DaemonProcess {
  readonly process: NodeProcess;
  readonly cycles: FinishedCycle[] = [];
  #waiters: (() => void)[] = [];
  #exited = false;
  #baseUrl = '';

  private constructor(process: NodeProcess) {
    this.process = process;
  }

  static async start(
    configPath: string,
    {
      args = [],
      nodeFlags = [],
      env,
    }: { args?: string[]; nodeFlags?: string[]; env?: NodeJS.ProcessEnv } = {},
    startTimeoutMs = 60_000,
  ): Promise<DaemonProcess> {
    const daemon = new DaemonProcess(
      spawnNode('dist/daemon.js', ['--config', configPath, ...args], { nodeFlags, env }),
    );
    try {
      for (;;) {
        const entry = logEntry(await daemon.process.nextLine(startTimeoutMs));
        if (entry?.msg === 'planecheck started') {
          daemon.#baseUrl = entry.url ?? '';
          break;
        }
      }
    } catch (error) {
      await daemon.process.stop();
      throw error;
    }
    void daemon.#follow();
    return daemon;
  }

  get pid(): number {
    return this.process.child.pid ?? 0;
  }

  get url(): string {
    return this.#baseUrl;
  }

  async #follow(): Promise<void> {
    try {
      for (;;) {
        const entry = logEntry(await this.process.nextLine());
        if (entry?.msg !== 'cycle finished') continue;
        const finishedAt = Date.now();
        this.cycles.push({ entry, finishedAt, startedAt: finishedAt - (entry.durationMs ?? 0) });
        for (const wake of this.#waiters.splice(0)) wake();
      }
    } catch {
      // Exited: waiters fail below.
      this.#exited = true;
      for (const wake of this.#waiters.splice(0)) wake();
    }
  }

  /** The first finished cycle that `matches`, waiting for it up to `timeoutMs`. */
  async cycle(matches: (cycle: FinishedCycle, index: number) => boolean, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.cycles.findIndex(matches);
      const found = this.cycles[index];
      if (found !== undefined) return found;
      if (this.#exited) throw new Error(`daemon ${this.pid} exited while the benchmark waited for a cycle`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`daemon ${this.pid}: the awaited cycle did not finish within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The `count`th finished cycle (1 = the cycle at start). */
  nthCycle(count: number, timeoutMs: number): Promise<FinishedCycle> {
    return this.cycle((_, index) => index === count - 1, timeoutMs);
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}

/**
 * One scrape of `url` as Prometheus makes it (gzip, or plain text); its time in ms and its size in bytes. The
 * body is counted as it arrives, not gathered: 50 scrapes at once are 11 MB, and copying them costs the
 * benchmark's own process time that would be counted in the daemon's latency.
 */
async function scrape(agent: Agent, url: string, gzip = true): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const res = await request(url, { dispatcher: agent, headers: gzip ? { 'accept-encoding': 'gzip' } : {} });
  let bytes = 0;
  for await (const chunk of res.body) bytes += (chunk as Buffer).length;
  return { ms: performance.now() - started, bytes };
}

/**
 * Scrapes /metrics as Prometheus does (gzip): 5 warm-ups, 50 one after another, then 50 at once; and 50 plain.
 * `onlyConcurrent`: the 50 at once alone, at once (on fresh connections), for scrapes while a cycle runs.
 */
export async function scrapeMetrics(url: string, { onlyConcurrent = false } = {}) {
  const agent = new Agent();
  let bytes = 0;
  const timed = async (gzip = true) => {
    const scraped = await scrape(agent, url, gzip);
    if (gzip) bytes = scraped.bytes;
    const ms = scraped.ms;
    return ms;
  };
  const sequential: number[] = [];
  const plain: number[] = [];
  if (!onlyConcurrent) {
    for (let i = 0; i < 5; i++) await timed();
    for (let i = 0; i < 50; i++) sequential.push(await timed());
  }
  const concurrent = await Promise.all(Array.from({ length: 50 }, () => timed()));
  if (!onlyConcurrent) for (let i = 0; i < 50; i++) plain.push(await timed(false));
  await agent.close();
  return {
    medianMs: median(sequential),
    concurrentWorstMs: Math.max(...concurrent),
    plainMedianMs: median(plain),
    kib: bytes / 1024,
  };
}

/**
 * Scrapes /metrics (gzip) one after another, `pauseMs` apart, until `until` settles or `maxScrapes` are done;
 * the time of each. For /metrics latency while a cycle runs.
 */
export async function scrapeWhile(
  url: string,
  until: Promise<unknown>,
  { pauseMs = 50, maxScrapes = 400 } = {},
): Promise<number[]> {
  let done = false;
  void until.then(
    () => (done = true),
    () => (done = true),
  );
  const agent = new Agent();
  const times: number[] = [];
  try {
    while (!done && times.length < maxScrapes) {
      times.push((await scrape(agent, url)).ms);
      await sleep(pauseMs);
    }
  } finally {
    await agent.close();
  }
  return times;
}

/** A metric's value in the daemon's /metrics text (plain), or undefined; the first series when labelled. */
export async function metricValue(url: string, name: string): Promise<number | undefined> {
  const res = await request(url);
  const text = await res.body.text();
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}
