import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { createChecker } from '../../src/check/checker.js';
import { CheckCycle } from '../../src/daemon/check-cycle.js';
import { createGithubClient, type GithubConfig } from '../../src/github/octokit-client.js';
import type { HealPolicy } from '../../src/heal/heal-policy.js';
import { SelfHealer } from '../../src/heal/self-healer.js';
import { createLogger } from '../../src/log/logger.js';
import { PlanecheckMetrics } from '../../src/metrics/metrics.js';
import { SandboxGithub, type SandboxGithubOptions } from '../../src/sandbox/sandbox-github.js';
import { SandboxPlatform, type Scenario } from '../../src/sandbox/sandbox-platform.js';
import { SqliteHealLog } from '../../src/store/sqlite-heal-log.js';
import { openSqliteStore, type SqliteResultStore } from '../../src/store/sqlite-store.js';
import { StatusBoard } from '../../src/store/status-board.js';
import { testConfig } from './config.js';
import { tempDir } from './tmp.js';

export const GITHUB_TOKEN = 'ghp_sandboxSecretToken0123456789';

export interface HealHarnessOptions {
  planes: Record<string, Scenario>;
  github?: Partial<SandboxGithubOptions>;
  policy?: Partial<HealPolicy>;
  /** Defaults to the sandbox's personal access token. */
  githubConfig?: (apiUrl: string) => GithubConfig;
  tokenRefreshMarginMs?: number;
  /** Reuse a database (a restart). */
  dbPath?: string;
  /** The clock of the self-healer and the GitHub client's rate-limit gate. */
  now?: () => number;
  githubRequestTimeoutMs?: number;
  /** Reuse running sandboxes (a restart). */
  reuse?: { platform: SandboxPlatform; github: SandboxGithub };
}

/** The daemon's self-heal wiring (sandbox platform, sandbox GitHub, real SQLite, real octokit), minus the schedule. */
export async function startHealHarness(options: HealHarnessOptions) {
  const platform =
    options.reuse?.platform ?? new SandboxPlatform({ apiKey: 'test-key', planes: options.planes });
  const github =
    options.reuse?.github ??
    new SandboxGithub({
      token: GITHUB_TOKEN,
      workflowInputs: ['workload_plane', 'reason', 'correlation_id'],
      queuedMs: 100,
      runMs: 200,
      onRunSucceeded: (inputs) => platform.repair(inputs.workload_plane ?? ''),
      ...options.github,
    });
  if (!options.reuse) {
    await platform.start();
    await github.start();
  }
  const config = testConfig({
    controlPlaneUrl: platform.url,
    planes: Object.keys(options.planes).map((name) => ({ name, inferenceUrl: platform.inferenceUrl(name) })),
    schedule: '{ interval: 10s, cacheTtl: 20s, concurrency: 64, planeTimeout: 5s }',
  });
  const dbPath = options.dbPath ?? join(tempDir('planecheck-heal-'), 'planecheck.db');
  const store: SqliteResultStore = openSqliteStore(dbPath);
  const names = config.workloadPlanes.map((plane) => plane.name);
  const board = new StatusBoard(names, config.schedule.cacheTtl, store.latestResults());
  const metrics = new PlanecheckMetrics(names, board);
  const logs: string[] = [];
  const log = createLogger('debug', (line) => logs.push(line));
  const checker = createChecker(config);
  const late: { healer?: SelfHealer } = {};
  const cycle = new CheckCycle({
    planes: config.workloadPlanes,
    checker,
    store,
    board,
    metrics,
    log,
    historyRetentionMs: config.storage.historyRetention,
    onResult: (result) => late.healer?.onResult(result),
  });
  const githubConfig = options.githubConfig?.(github.url) ?? { apiUrl: github.url, token: GITHUB_TOKEN };
  const healLog = new SqliteHealLog(store.database);
  metrics.watchGithubBackoff(() => healLog.githubBackoffUntil(), options.now);
  const client = createGithubClient(githubConfig, {
    log,
    backoff: healLog,
    tokenRefreshMarginMs: options.tokenRefreshMarginMs,
    requestTimeoutMs: options.githubRequestTimeoutMs,
    now: options.now,
  });
  const healer = new SelfHealer({
    settings: {
      target: { owner: 'acme', repo: 'platform', workflow: 'production-smoke-test.yml', ref: 'main' },
      inputs: { workload_plane: '{plane}', reason: '{status}' },
      policy: {
        cooldownMs: 60_000,
        failureThreshold: 1,
        maxDispatchesPerHour: 10,
        runTimeoutMs: 30_000,
        dryRun: false,
        ...options.policy,
      },
      runPollIntervalMs: 50,
    },
    github: client,
    healLog,
    history: (plane, limit) => store.history(plane, limit),
    recheck: (plane) => cycle.checkNow(plane),
    metrics,
    log,
    now: options.now,
  });
  late.healer = healer;
  const healerRef = healer;
  return {
    platform,
    github,
    store,
    dbPath,
    board,
    metrics,
    logs,
    healLog,
    healer: healerRef,
    client,
    /** One check cycle, then (unless told not to) waits for self-heal to finish what it started. */
    cycle: async (waitForHeal = true) => {
      await cycle.run(new AbortController().signal);
      if (waitForHeal) await healerRef.idle();
    },
    dispatches: () => github.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/dispatches')),
    metricsText: async () => gunzipSync(Buffer.concat(await metrics.render())).toString(),
    /** Stops this instance; the sandboxes keep running unless `all`. */
    close: async (all = true) => {
      await healerRef.stop();
      await checker.close();
      store.close();
      if (all) {
        await platform.close();
        await github.close();
      }
    },
  };
}
