import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { HealAction } from '../src/heal/heal-action.js';
import type { HealLog, NewHealAction } from '../src/heal/heal-log.js';
import { MemoryHealLog } from '../src/heal/memory-heal-log.js';
import { SqliteHealLog } from '../src/store/sqlite-heal-log.js';
import { MIGRATIONS, openSqliteStore } from '../src/store/sqlite-store.js';
import type { WorkerAnswer, WorkerInput } from './helpers/heal-log-worker.js';
import { writeSchemaV2Database } from './helpers/schema-v2.js';
import { tempDir } from './helpers/tmp.js';

const T = Date.UTC(2026, 11, 1, 12, 0, 0);

function attempt(plane: string, at: number, patch: Partial<NewHealAction> = {}): NewHealAction {
  return {
    plane,
    reason: 'NO_USER',
    correlationId: `pc-${plane}-${at}`,
    dispatchedAt: at,
    status: 'dispatching',
    runId: null,
    runUrl: null,
    conclusion: null,
    outcome: null,
    error: null,
    updatedAt: at,
    follower: null,
    followUntil: null,
    ...patch,
  };
}

/** Records unconditionally (the decision is the self-healer's business, tested elsewhere). */
async function record(log: HealLog, action: NewHealAction): Promise<HealAction> {
  const stored = await log.insertIf(action.plane, action.dispatchedAt, () => action);
  assert.ok(stored);
  return stored;
}

function sqliteLog(): { log: SqliteHealLog; path: string; close: () => Promise<void> } {
  const path = join(tempDir('planecheck-heal-log-'), 'planecheck.db');
  const store = openSqliteStore(path);
  return { log: new SqliteHealLog(store.database), path, close: () => store.close() };
}

/** The same cases for every adapter of the port that lives in this process. */
const adapters: [string, () => { log: HealLog; close: () => unknown }][] = [
  ['SQLite', sqliteLog],
  ['memory', () => ({ log: new MemoryHealLog(), close: () => undefined })],
];

for (const [name, make] of adapters) {
  describe(`heal log (${name})`, () => {
    it("insertIf shows decide the plane's newest actions and every plane's attempts of the last hour", async () => {
      const { log, close } = make();
      try {
        await record(log, attempt('a', T - 3_700_000)); // more than an hour ago
        await record(log, attempt('a', T - 1_000));
        await record(log, attempt('b', T - 2_000));
        let seen: { actions: string[]; attemptsLastHour: number } | undefined;
        const none = await log.insertIf('a', T, (view) => {
          seen = {
            actions: view.actions.map((a) => a.correlationId),
            attemptsLastHour: view.attemptsLastHour,
          };
          return undefined;
        });
        assert.equal(none, undefined);
        assert.deepEqual(seen, {
          actions: [`pc-a-${T - 1_000}`, `pc-a-${T - 3_700_000}`],
          attemptsLastHour: 2,
        });
        assert.equal((await log.forPlane('a', 10)).length, 2, 'nothing recorded when decide says no');
        await assert.rejects(
          log.insertIf('a', T, () => attempt('other', T)),
          /decide returned plane other/,
        );
      } finally {
        close();
      }
    });

    it('keeps the follow lease fields and patches them', async () => {
      const { log, close } = make();
      try {
        const stored = await record(log, attempt('p', T, { follower: 'replica-a', followUntil: T + 30_000 }));
        assert.deepEqual(await log.forPlane('p', 1), [stored]);
        await log.update(stored.id, { follower: 'replica-b', followUntil: T + 60_000, runId: 7 });
        const [read] = await log.forPlane('p', 1);
        assert.equal(read?.follower, 'replica-b');
        assert.equal(read?.followUntil, T + 60_000);
        assert.equal(read?.runId, 7);
        assert.equal(read?.status, 'dispatching', 'fields not in the patch are left alone');
      } finally {
        close();
      }
    });

    it('takeOver: refused while another lease runs, a renewal for the holder, free once passed or handed back, never for an attempt that is over', async () => {
      const { log, close } = make();
      try {
        const { id } = await record(log, attempt('p', T, { follower: 'a', followUntil: T + 1_000 }));
        assert.equal(await log.takeOver(id, 'b', T + 500, T + 30_000), false, "a's lease still runs");
        assert.equal(await log.takeOver(id, 'a', T + 500, T + 2_000), true, 'a renews');
        assert.equal(await log.takeOver(id, 'b', T + 1_500, T + 30_000), false, 'the renewal holds');
        assert.equal(await log.takeOver(id, 'b', T + 2_001, T + 40_000), true, "a's lease passed");
        assert.equal((await log.forPlane('p', 1))[0]?.follower, 'b');
        assert.equal(await log.takeOver(id, 'a', T + 3_000, T + 50_000), false, 'b holds it now');
        assert.equal(await log.takeOver(id, 'b', T + 3_000, 0), true, 'b hands it back');
        assert.equal(await log.takeOver(id, 'c', T + 3_001, T + 60_000), true, 'free at once');
        assert.equal(await log.takeOver(id + 100, 'c', T, T + 1), false, 'no such attempt');

        await log.update(id, { status: 'completed', outcome: 'fixed' });
        assert.equal(await log.takeOver(id, 'c', T + 3_002, T + 60_000), false, 'over: not even a renewal');
        assert.deepEqual(await log.unfinished(), []);

        const legacy = await record(log, attempt('q', T)); // no follower: an attempt from before the lease
        assert.equal(await log.takeOver(legacy.id, 'd', T, T + 30_000), true);
        assert.equal((await log.unfinished())[0]?.follower, 'd');
      } finally {
        close();
      }
    });

    it('recent(perPlane): the newest N of every plane, newest first within a plane', async () => {
      const { log, close } = make();
      try {
        for (const [plane, at] of [
          ['a', 1],
          ['a', 5],
          ['a', 3],
          ['b', 2],
          ['c', 4],
          ['c', 6],
          ['c', 7],
        ] as const) {
          await record(log, attempt(plane, T + at));
        }
        const recent = await log.recent(2);
        const byPlane = (plane: string) =>
          recent.filter((a) => a.plane === plane).map((a) => a.dispatchedAt - T);
        assert.deepEqual(byPlane('a'), [5, 3]);
        assert.deepEqual(byPlane('b'), [2]);
        assert.deepEqual(byPlane('c'), [7, 6]);
        assert.equal(recent.length, 5);
      } finally {
        close();
      }
    });
  });
}

describe('heal log (SQLite): several connections to one file', () => {
  it('insertIf from two threads on two connections at the same moment records one attempt', async () => {
    const { path, close } = sqliteLog();
    await close();
    const start = new SharedArrayBuffer(8);
    const flags = new Int32Array(start);
    const tsx = import.meta.resolve('tsx/esm/api');
    const script = new URL('./helpers/heal-log-worker.ts', import.meta.url).href;
    // Workers do not inherit the tsx loader: each registers it, then loads the TypeScript worker.
    const loader = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(script)});`;
    const answers = ['replica-a', 'replica-b'].map((instance) => {
      const workerData: WorkerInput = { path, plane: 'p', instance, start, holdMs: 50 };
      const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(loader)}`), {
        workerData,
      });
      return new Promise<WorkerAnswer>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`worker exited (${code}) without answering`)));
      });
    });
    const deadline = Date.now() + 20_000;
    while (Atomics.load(flags, 1) < 2) {
      assert.ok(Date.now() < deadline, 'both workers reach the start line');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    Atomics.store(flags, 0, 1);
    Atomics.notify(flags, 0);
    const [a, b] = await Promise.all(answers);
    assert.ok(a && b);
    assert.equal(a.error, undefined);
    assert.equal(b.error, undefined);
    const winner = a.recorded ? a : b;
    const loser = a.recorded ? b : a;
    assert.equal([a, b].filter((answer) => answer.recorded).length, 1, 'one attempt recorded');
    // The situation the test is about: the loser called while the winner was still deciding.
    assert.ok(
      loser.calledAt < winner.answeredAt,
      `the calls overlapped: loser called at ${loser.calledAt}, winner committed at ${winner.answeredAt}`,
    );
    assert.equal(winner.sawActions, 0);
    assert.equal(loser.sawActions, 1, "the loser decided on the winner's committed attempt");
    assert.ok(loser.decidedAt >= winner.answeredAt - 1, 'the loser decided only after the winner committed');

    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT correlation_id, follower FROM heal_actions').all();
    db.close();
    assert.deepEqual(rows, [{ correlation_id: `pc-${winner.instance}`, follower: winner.instance }]);
  });

  it('a GitHub stop recorded on one connection reaches the other on refreshGithubBackoff', async () => {
    const { log, path, close } = sqliteLog();
    const other = new Database(path);
    try {
      const otherLog = new SqliteHealLog(other);
      log.stopGithubUntil(T + 60_000);
      assert.equal(otherLog.githubBackoffUntil(), 0, 'a memory copy, read at construction');
      await otherLog.refreshGithubBackoff();
      assert.equal(otherLog.githubBackoffUntil(), T + 60_000);
    } finally {
      other.close();
      await close();
    }
  });

  it('a write the database refuses is a rejection, and records nothing', async () => {
    const { log, path, close } = sqliteLog();
    const other = new Database(path);
    try {
      other.exec(`CREATE TRIGGER heal_insert_fails BEFORE INSERT ON heal_actions
        BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
      await assert.rejects(
        log.insertIf('p', T, () => attempt('p', T)),
        /database or disk is full/,
      );
      assert.deepEqual(await log.forPlane('p', 10), []);
    } finally {
      other.close();
      await close();
    }
  });

  it('migrates a database from before the follow lease and keeps its attempts', async () => {
    const path = join(tempDir('planecheck-heal-log-'), 'planecheck.db');
    writeSchemaV2Database(path, []);
    const v2 = new Database(path);
    v2.prepare(
      `INSERT INTO heal_actions (plane, reason, correlation_id, dispatched_at, status, run_id, run_url, conclusion,
         outcome, error, updated_at)
       VALUES ('old', 'NO_ORACLE', 'pc-old', ?, 'queued', 42, 'https://gh/run/42', NULL, NULL, NULL, ?)`,
    ).run(T, T);
    v2.close();

    const store = openSqliteStore(path);
    try {
      assert.equal(store.database.pragma('user_version', { simple: true }), MIGRATIONS.length);
      const log = new SqliteHealLog(store.database);
      const [old] = await log.unfinished();
      assert.deepEqual(old, {
        id: 1,
        plane: 'old',
        reason: 'NO_ORACLE',
        correlationId: 'pc-old',
        dispatchedAt: T,
        status: 'queued',
        runId: 42,
        runUrl: 'https://gh/run/42',
        conclusion: null,
        outcome: null,
        error: null,
        updatedAt: T,
        follower: null,
        followUntil: null,
      });
      assert.equal(await log.takeOver(1, 'replica-a', T, T + 30_000), true, 'nobody followed it: anyone may');
    } finally {
      await store.close();
    }
  });
});
