// One benchmark run in a fresh process, so that "cold" really is cold and RSS is this run's alone.
// argv: mode (daemon | engine | bare) url planes concurrency pollInterval cycles. Prints one JSON line.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { createChecker } from '../src/check/checker.js';
import { parseConfig } from '../src/config/parse.js';
import { CheckCycle } from '../src/daemon/check-cycle.js';
import { createLogger } from '../src/log/logger.js';
import { PlanecheckMetrics } from '../src/metrics/metrics.js';
import { closeServer, createDaemonServer, listen } from '../src/server/http-server.js';
import { createRoutes } from '../src/server/routes.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { StatusBoard } from '../src/store/status-board.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const [mode = 'daemon', url = '', planesArg = '1000', concurrencyArg = '50', pollMs = '10', cyclesArg = '4'] =
  process.argv.slice(2);
const PLANES = Number(planesArg);
const CONCURRENCY = Number(concurrencyArg);
const CYCLES = Number(cyclesArg);

function cpuMsPerCheck(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000 / PLANES;
}

async function measure(run: () => Promise<unknown>): Promise<{ cpu: number; wall: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  return { cpu: cpuMsPerCheck(cpu), wall: performance.now() - started };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function pool(count: number, concurrency: number, run: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await run(next++);
    }),
  );
}

/** The requests of one plane check, with nothing but undici `request` on a keep-alive agent. */
async function bareCheck(agent: Agent, plane: string): Promise<void> {
  const headers = { authorization: 'Api-Key bench-key', 'content-type': 'application/json' };
  const json = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await request(`${url}${path}`, {
      dispatcher: agent,
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.body.json()) as Record<string, unknown>;
  };
  const users = (await json('GET', `/v1/users?email=admin__smoke_test_${plane}`)).users as {
    organization_id: string;
  }[];
  const org = users[0]?.organization_id ?? '';
  const models = (await json('GET', `/v1/organizations/${org}/models?name=health-check-model`)).models as {
    id: string;
  }[];
  const base = `/planes/${plane}/models/${models[0]?.id ?? ''}`;
  await Promise.all([
    json('POST', `${base}/production/predict`, { prompt: 'ping' }),
    (async () => {
      const submitted = (await json('POST', `${base}/production/async_predict`, {
        model_input: { prompt: 'ping' },
      })) as {
        request_id: string;
      };
      await sleep(Number(pollMs));
      await json('GET', `${base}/async_request/${submitted.request_id}`);
    })(),
  ]);
}

/**
 * Peak RSS in MB, from the kernel's high-water mark (VmHWM): exact, and free, where sampling costs CPU
 * that would be counted as the checks'. Not getrusage's maxRSS: on Linux that survives exec, so a child
 * would report its parent's peak.
 */
function peakRssMb(): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  if (!match) throw new Error('no VmHWM in /proc/self/status (the benchmark needs Linux)');
  return Number(match[1]) / 1024;
}

const out: Record<string, number> = {};
if (mode === 'bare') {
  const agent = new Agent({ keepAliveTimeout: 60_000 });
  const runs = [];
  for (let i = 0; i < CYCLES; i++)
    runs.push(await measure(() => pool(PLANES, CONCURRENCY, (n) => bareCheck(agent, `plane-${n}`))));
  out.coldCpuMs = runs[0]?.cpu ?? NaN;
  out.warmCpuMs = median(runs.slice(1).map((r) => r.cpu));
  out.warmWallMs = median(runs.slice(1).map((r) => r.wall));
  await agent.close();
} else if (mode === 'engine') {
  const list = Array.from(
    { length: PLANES },
    (_, i) => `  - { name: plane-${i}, inferenceUrl: "${url}/planes/plane-${i}" }`,
  );
  const config = parseConfig(
    `schedule: { concurrency: ${CONCURRENCY} }\nplatform: { controlPlaneUrl: "${url}", apiKey: bench-key, pollInterval: ${pollMs}ms }\nworkloadPlanes:\n${list.join('\n')}\n`,
  );
  const checker = createChecker(config);
  const runs = [];
  for (let i = 0; i < CYCLES; i++) runs.push(await measure(() => checker.check(config.workloadPlanes)));
  out.coldCpuMs = runs[0]?.cpu ?? NaN;
  out.warmCpuMs = median(runs.slice(1).map((r) => r.cpu));
  await checker.close();
} else {
  const list = Array.from(
    { length: PLANES },
    (_, i) => `  - { name: plane-${i}, inferenceUrl: "${url}/planes/plane-${i}" }`,
  );
  const config = parseConfig(
    `schedule: { interval: 1m, cacheTtl: 2m, concurrency: ${CONCURRENCY}, planeTimeout: 45s }
platform: { controlPlaneUrl: "${url}", apiKey: bench-key, pollInterval: ${pollMs}ms }
workloadPlanes:
${list.join('\n')}
`,
  );
  out.peakRssAtStartMb = peakRssMb();
  const names = config.workloadPlanes.map((plane) => plane.name);
  const checker = createChecker(config);
  const store = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'planecheck-bench-')), 'bench.db'));
  const board = new StatusBoard(names, config.schedule.cacheTtl);
  const metrics = new PlanecheckMetrics(names, board);
  const log = createLogger('warn');
  const cycle = new CheckCycle({
    planes: config.workloadPlanes,
    checker,
    store,
    board,
    metrics,
    log,
    historyRetentionMs: config.storage.historyRetention,
  });
  const signal = new AbortController().signal;

  const full = [];
  const engine = [];
  for (let i = 0; i < CYCLES; i++) {
    full.push(await measure(() => cycle.run(signal)));
    engine.push(await measure(() => checker.check(config.workloadPlanes)));
  }
  out.healthy = board.states().filter((state) => state.status === 'HEALTHY').length;
  out.coldCpuMs = full[0]?.cpu ?? NaN;
  out.warmCpuMs = median(engine.slice(1).map((r) => r.cpu));
  out.warmFullCpuMs = median(full.slice(1).map((r) => r.cpu));
  out.warmWallMs = median(full.slice(1).map((r) => r.wall));

  const server = createDaemonServer({
    log,
    readiness: () => ({ ready: true, checks: {} }),
    protectedRoutes: createRoutes({
      metrics,
      status: () => {
        throw new Error('not benchmarked');
      },
      planes: names,
      history: () => [],
      planeStatus: () => 'NO_VALUE',
    }),
  });
  const serverUrl = await listen(server, '127.0.0.1:0');
  out.peakRssBeforeScrapesMb = peakRssMb();
  // The benchmark scrapes from its own process (a scraper here would count its buffers as ours).
  process.stdout.write(`${JSON.stringify({ metricsUrl: `${serverUrl}/metrics` })}\n`);
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const refreshStarted = performance.now();
  metrics.recordCycle(1);
  await metrics.refresh();
  out.metricsRefreshMs = performance.now() - refreshStarted;
  await closeServer(server);
  await checker.close();
  store.close();
}
out.peakRssMb = peakRssMb();
const memory = process.memoryUsage();
out.heapUsedMb = memory.heapUsed / 1024 / 1024;
out.heapTotalMb = memory.heapTotal / 1024 / 1024;
out.externalMb = memory.external / 1024 / 1024;
process.stdout.write(`${JSON.stringify(out)}\n`);
