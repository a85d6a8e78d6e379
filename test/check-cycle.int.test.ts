import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkAll } from '../src/check/check-all.js';
import { createChecker } from '../src/check/checker.js';
import { classify } from '../src/check/classify.js';
import { CheckCycle } from '../src/daemon/check-cycle.js';
import { createLogger } from '../src/log/logger.js';
import { PlanecheckMetrics } from '../src/metrics/metrics.js';
import { createHttpAgent } from '../src/platform/http.js';
import { HttpPlatform } from '../src/platform/http-platform.js';
import type { Oracle, PlaneRef, PlatformApi } from '../src/platform/platform-api.js';
import type { Deadline } from '../src/util/deadline.js';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';
import type { ResultStore } from '../src/check/result-store.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { StatusBoard } from '../src/store/status-board.js';
import { testConfig } from './helpers/config.js';
import { tempDir } from './helpers/tmp.js';

describe('CheckCycle with a real SQLite file', () => {
  const planes = { 'c-ok': 'healthy', 'c-500': 'predict_500', 'c-nouser': 'no_user' } as const;
  const sandbox = new SandboxPlatform({ apiKey: 'test-key', planes });
  before(() => sandbox.start());
  after(() => sandbox.close());

  it('stores every result, and keeps the WAL bounded: a size limit, and checkpoints on their own thread', async () => {
    const config = testConfig({
      controlPlaneUrl: sandbox.url,
      planes: Object.keys(planes).map((name) => ({ name, inferenceUrl: sandbox.inferenceUrl(name) })),
    });
    const path = join(tempDir(), 'cycle.db');
    const store = openSqliteStore(path);
    const names = config.workloadPlanes.map((plane) => plane.name);
    const board = new StatusBoard(names, config.schedule.cacheTtl);
    const checker = createChecker(config);
    const logged: string[] = [];
    const cycle = new CheckCycle({
      planes: config.workloadPlanes,
      checker,
      store,
      board,
      metrics: new PlanecheckMetrics(names, board),
      log: createLogger('info', (line) => logged.push(line)),
      historyRetentionMs: config.storage.historyRetention,
      instance: 'replica-test',
      checkpoint: () => store.checkpoint(),
    });
    const walBytes = () => statSync(`${path}-wal`).size;
    try {
      assert.equal(store.database.pragma('journal_size_limit', { simple: true }), 64 * 1024 * 1024);
      const signal = new AbortController().signal;
      for (let n = 1; n <= 10; n++) {
        await cycle.run(signal);
        if (n < 10) assert.ok(walBytes() > 0, `cycle ${n} leaves its writes in the WAL`);
      }
      // Checkpoints run on their own thread (never inside a write): once it has run, the WAL is all in.
      const checkpoint = await store.checkpointInBackground();
      assert.ok(checkpoint && checkpoint.log > 0, 'the cycles wrote to the WAL');
      assert.equal(checkpoint.checkpointed, checkpoint.log, 'every frame folded back into the database');
      assert.equal(
        store.database.pragma('wal_autocheckpoint', { simple: true }),
        0,
        'no checkpoint inside writes',
      );

      assert.deepEqual(
        (await store.latestResults()).map((result) => [result.plane, result.status, result.checkedBy]),
        [
          ['c-500', 'FAILED', 'replica-test'],
          ['c-nouser', 'NO_USER', 'replica-test'],
          ['c-ok', 'HEALTHY', 'replica-test'],
        ],
      );
      for (const plane of names) assert.equal((await store.history(plane, 100)).length, 10, plane);
      assert.equal(store.database.pragma('integrity_check', { simple: true }), 'ok');
      const cycleLines = logged
        .map((line) => JSON.parse(line) as { msg: string })
        .filter((line) => line.msg === 'cycle finished');
      assert.equal(cycleLines.length, 10, 'one line per cycle');
    } finally {
      await checker.close();
      await store.close();
    }
  });

  it('never waits on the store: a write that does not end holds neither the cycle nor what readers see', async () => {
    const config = testConfig({
      controlPlaneUrl: sandbox.url,
      planes: Object.keys(planes).map((name) => ({ name, inferenceUrl: sandbox.inferenceUrl(name) })),
    });
    const names = config.workloadPlanes.map((plane) => plane.name);
    const board = new StatusBoard(names, config.schedule.cacheTtl);
    const checker = createChecker(config);
    const writes: number[] = [];
    const never = new Promise<never>(() => undefined);
    // A store whose server stopped answering: every call hangs.
    const store: ResultStore = {
      saveResults: (results) => {
        writes.push(results.length);
        return never;
      },
      latestResults: () => never,
      history: () => never,
      availability: () => never,
      pruneHistory: () => never,
      close: () => Promise.resolve(),
    };
    const cycle = new CheckCycle({
      planes: config.workloadPlanes,
      checker,
      store,
      board,
      metrics: new PlanecheckMetrics(names, board),
      log: createLogger('error', () => undefined),
      historyRetentionMs: config.storage.historyRetention,
      instance: 'replica-test',
    });
    try {
      const signal = new AbortController().signal;
      await cycle.run(signal);
      await cycle.run(signal);
      assert.equal(board.state('c-ok').status, 'HEALTHY');
      assert.equal(board.state('c-ok').checkedBy, 'replica-test');
      // The first write takes the results of its batch (or of the cycle's end); it never ends, so the
      // results of the second cycle wait for it rather than start a write of their own.
      assert.equal(writes.length, 1, 'one write in flight; the other results wait for it');
      assert.ok(cycle.lastFinishedAt !== null);
    } finally {
      await checker.close();
    }
  });
});

/**
 * The HTTP adapter against the sandbox, with a bug in its predict for one plane: it reads a field of
 * a response shape it wrongly assumes, as a real bug would, and throws a TypeError.
 */
class PlatformWithPredictBug implements PlatformApi {
  constructor(
    readonly inner: PlatformApi,
    readonly buggyPlane: string,
  ) {}
  findUser(plane: PlaneRef, signal: Deadline) {
    return this.inner.findUser(plane, signal);
  }
  findOracle(plane: PlaneRef, user: { id: string; organizationId: string }, signal: Deadline) {
    return this.inner.findOracle(plane, user, signal);
  }
  async predict(plane: PlaneRef, oracle: Oracle, signal: Deadline) {
    const outcome = await this.inner.predict(plane, oracle, signal);
    if (plane.name === this.buggyPlane) {
      const assumed = JSON.parse('{}') as { output: { text: string } };
      if (assumed.output.text.length === 0) return outcome;
    }
    return outcome;
  }
  submitAsyncPredict(plane: PlaneRef, oracle: Oracle, signal: Deadline) {
    return this.inner.submitAsyncPredict(plane, oracle, signal);
  }
  getAsyncStatus(plane: PlaneRef, oracle: Oracle, requestId: string, signal: Deadline) {
    return this.inner.getAsyncStatus(plane, oracle, requestId, signal);
  }
}

describe('an exception inside a check step (a bug in planecheck)', () => {
  const planes = { 'bug-ok': 'healthy', 'bug-here': 'healthy' } as const;
  const sandbox = new SandboxPlatform({ apiKey: 'test-key', planes });
  before(() => sandbox.start());
  after(() => sandbox.close());
  const config = () =>
    testConfig({
      controlPlaneUrl: sandbox.url,
      planes: Object.keys(planes).map((name) => ({ name, inferenceUrl: sandbox.inferenceUrl(name) })),
    });

  it('is {step}_internal_error, not a network error, and only that step fails', async () => {
    const settings = config();
    const agent = createHttpAgent({ connectTimeoutMs: 1_000, keepAliveMs: 1_000 });
    try {
      const platform = new PlatformWithPredictBug(new HttpPlatform(settings.platform, agent), 'bug-here');
      const thrown: { plane: string; step: string; error: unknown }[] = [];
      const [ok, buggy] = await checkAll(
        settings.workloadPlanes,
        {
          platform,
          settings: { planeTimeout: 5_000, asyncTimeout: 2_000, pollInterval: 50 },
          onInternalError: (report) => thrown.push(report),
        },
        2,
      );
      assert.ok(ok && buggy);
      assert.deepEqual(classify(ok), { status: 'HEALTHY', reason: null });
      assert.deepEqual(classify(buggy), { status: 'FAILED', reason: 'predict_internal_error' });
      assert.match(buggy.steps[2]?.failure?.detail ?? '', /^internal error in planecheck \(TypeError: /);
      assert.equal(buggy.steps[3]?.outcome, 'ok', 'async_predict ran and passed beside the bug');
      assert.equal(thrown.length, 1);
      assert.equal(thrown[0]?.plane, 'bug-here');
      assert.equal(thrown[0]?.step, 'predict');
      assert.ok(thrown[0]?.error instanceof TypeError);
    } finally {
      await agent.close();
    }
  });

  it('is logged with its stack and counted in planecheck_internal_errors_total by the daemon cycle', async () => {
    const settings = config();
    const agent = createHttpAgent({ connectTimeoutMs: 1_000, keepAliveMs: 1_000 });
    const platform = new PlatformWithPredictBug(new HttpPlatform(settings.platform, agent), 'bug-here');
    const checker = createChecker(settings, { platform });
    const store = openSqliteStore(join(tempDir(), 'bug.db'));
    const names = settings.workloadPlanes.map((plane) => plane.name);
    const board = new StatusBoard(names, settings.schedule.cacheTtl);
    const metrics = new PlanecheckMetrics(names, board);
    const logged: Record<string, unknown>[] = [];
    const cycle = new CheckCycle({
      planes: settings.workloadPlanes,
      checker,
      store,
      board,
      metrics,
      log: createLogger('info', (line) => logged.push(JSON.parse(line) as Record<string, unknown>)),
      historyRetentionMs: settings.storage.historyRetention,
      instance: 'replica-test',
    });
    try {
      const internalErrors = async () =>
        (await metrics.renderText())
          .join('')
          .split('\n')
          .filter((line) => line.startsWith('planecheck_internal_errors_total'));
      const zero = ['user_lookup', 'oracle_lookup', 'predict', 'async_predict'].map(
        (step) => `planecheck_internal_errors_total{step="${step}"} 0`,
      );
      assert.deepEqual(await internalErrors(), zero, 'every step at zero from the start');
      await cycle.run(new AbortController().signal);
      assert.equal(board.state('bug-here').reason, 'predict_internal_error');
      assert.equal(board.state('bug-ok').status, 'HEALTHY');

      const lines = logged.filter((line) => line.msg === 'internal error in a check step');
      assert.equal(lines.length, 1);
      assert.equal(lines[0]?.level, 'error');
      assert.equal(lines[0]?.plane, 'bug-here');
      assert.equal(lines[0]?.step, 'predict');
      assert.match(String(lines[0]?.stack), /^TypeError: .*\n\s+at PlatformWithPredictBug\.predict /);

      await cycle.checkNow('bug-here');
      assert.deepEqual(
        await internalErrors(),
        zero.map((line) => line.replace('"predict"} 0', '"predict"} 2')),
        'counted for the cycle and for the re-check',
      );
    } finally {
      await checker.close();
      await agent.close();
      await store.close();
    }
  });
});
