import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createChecker } from '../src/check/checker.js';
import { CheckCycle } from '../src/daemon/check-cycle.js';
import { createLogger } from '../src/log/logger.js';
import { PlanecheckMetrics } from '../src/metrics/metrics.js';
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';
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
        store.latestResults().map((result) => [result.plane, result.status]),
        [
          ['c-500', 'FAILED'],
          ['c-nouser', 'NO_USER'],
          ['c-ok', 'HEALTHY'],
        ],
      );
      for (const plane of names) assert.equal(store.history(plane, 100).length, 10, plane);
      assert.equal(store.database.pragma('integrity_check', { simple: true }), 'ok');
      const cycleLines = logged
        .map((line) => JSON.parse(line) as { msg: string })
        .filter((line) => line.msg === 'cycle finished');
      assert.equal(cycleLines.length, 10, 'one line per cycle');
    } finally {
      await checker.close();
      store.close();
    }
  });
});
