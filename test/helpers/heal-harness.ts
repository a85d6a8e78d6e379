import assert from 'node:assert/strict';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createChecker } from '../../src/check/checker.js';
import { CheckCycle } from '../../src/daemon/check-cycle.js';
import { createSelfHeal } from '../../src/heal/create-self-heal.js';
import type { HealPolicy } from '../../src/heal/heal-policy.js';
import { createLogger } from '../../src/log/logger.js';
import { PlanecheckMetrics } from '../../src/metrics/metrics.js';
import { SandboxGithub, type SandboxGithubOptions } from '../../src/sandbox/sandbox-github.js';
import { SandboxPlatform, type Scenario } from '../../src/sandbox/sandbox-platform.js';
import { SqliteHealLog } from '../../src/store/sqlite-heal-log.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { StatusBoard } from '../../src/store/status-board.js';
import { testConfig } from './config.js';
import { tempDir } from './tmp.js';

export const GITHUB_TOKEN = 'ghp_sandboxSecretToken0123456789';

export interface HealHarnessOptions {
  planes: Record<string, Scenario>;
  github?: Partial<SandboxGithubOptions>;
  /** `selfHeal:` fields over the rig's defaults, as YAML scalars (e.g. `{ failureThreshold: 3 }`). */
  selfHeal?: Record<string, string | number | boolean>;
  /** The `github:` section; defaults to the sandbox's personal access token. */
  githubYaml?: (apiUrl: string) => string;
  /** The same as data (e.g. pointing at a proxy in front of the sandbox GitHub). */
  githubConfig?: (apiUrl: string) => { apiUrl: string; token: string };
  tokenRefreshMarginMs?: number;
  githubRequestTimeoutMs?: number;
  /** The clock of the self-healer, the rate-limit gate and the backoff gauge. */
  now?: () => number;
  /** Policy values over the configured ones (in milliseconds, past the config's own minimums). */
  policy?: Partial<HealPolicy>;
  /** Reuse a database (a restart). */
  dbPath?: string;
  /** The replica's instance name (two harnesses on one database are two replicas of a fleet). */
  instance?: string;
  /** Reuse running sandboxes (a restart, or a second replica). */
  reuse?: { platform: SandboxPlatform; github: SandboxGithub };
}

/**
 * The daemon's composition minus the schedule and the server: sandbox platform and GitHub, a real SQLite
 * file, the check cycle, and self-heal built by the same `createSelfHeal` the daemon and the Action use.
 */
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
  const githubData = options.githubConfig?.(github.url);
  const githubYaml =
    options.githubYaml?.(github.url) ??
    // JSON is YAML: a flow mapping.
    JSON.stringify(githubData ?? { apiUrl: github.url, token: GITHUB_TOKEN });
  const selfHeal = {
    enabled: true,
    repository: 'acme/platform',
    cooldown: '60s',
    failureThreshold: 1,
    maxDispatchesPerHour: 10,
    runTimeout: '30s',
    runPollInterval: '100ms',
    ...options.selfHeal,
  };
  const config = testConfig({
    controlPlaneUrl: platform.url,
    planes: Object.keys(options.planes).map((name) => ({ name, inferenceUrl: platform.inferenceUrl(name) })),
    schedule: '{ interval: 10s, cacheTtl: 20s, concurrency: 64, planeTimeout: 5s }',
    extra: `selfHeal: { ${Object.entries(selfHeal)
      .map(([key, value]) => `${key}: ${String(value)}`)
      .join(', ')} }
github: ${githubYaml}
`,
  });
  const dbPath = options.dbPath ?? join(tempDir('planecheck-heal-'), 'planecheck.db');
  const store = openSqliteStore(dbPath);
  const names = config.workloadPlanes.map((plane) => plane.name);
  const board = new StatusBoard(names, config.schedule.cacheTtl, await store.latestResults());
  const metrics = new PlanecheckMetrics(names, board);
  const logs: string[] = [];
  const log = createLogger('debug', (line) => logs.push(line));
  const checker = createChecker(config);
  const late: { heal?: ReturnType<typeof createSelfHeal> } = {};
  const cycle = new CheckCycle({
    planes: config.workloadPlanes,
    checker,
    store,
    board,
    metrics,
    log,
    historyRetentionMs: config.storage.historyRetention,
    instance: 'heal-harness',
    onCycleFinished: (states) => late.heal?.healer.afterCycle(states),
  });
  const healLog = new SqliteHealLog(store.database);
  metrics.watchGithubBackoff(() => healLog.githubBackoffUntil(), options.now);
  const heal = createSelfHeal({
    config,
    healLog,
    instance: options.instance ?? 'replica-a',
    history: (plane, limit) => Promise.resolve(store.history(plane, limit)),
    recheck: (plane, signal) => cycle.checkNow(plane, signal),
    metrics,
    log,
    githubOptions: {
      tokenRefreshMarginMs: options.tokenRefreshMarginMs,
      requestTimeoutMs: options.githubRequestTimeoutMs,
    },
    now: options.now,
    policy: options.policy,
  });
  assert.ok(heal, 'self-heal is configured');
  late.heal = heal;
  const { healer } = heal;
  return {
    platform,
    github,
    store,
    dbPath,
    board,
    metrics,
    logs,
    healLog,
    healer,
    client: heal.github,
    /** One check cycle, then (unless told not to) waits for self-heal to finish what it started. */
    cycle: async (waitForHeal = true) => {
      await cycle.run(new AbortController().signal);
      if (waitForHeal) await healer.idle();
    },
    dispatches: () => github.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/dispatches')),
    metricsText: async () => gunzipSync(Buffer.concat(await metrics.render())).toString(),
    /** Newest first: the plane's attempts as stored. */
    actions: (plane: string) => healLog.forPlane(plane, 10),
    /** Stops this instance; the sandboxes keep running unless `all`. */
    close: async (all = true) => {
      await heal.stop();
      await checker.close();
      await store.close();
      if (all) {
        await platform.close();
        await github.close();
      }
    },
  };
}
