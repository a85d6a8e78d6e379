import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { StoredResult } from '../src/check/stored-result.js';
import { MIGRATIONS, openSqliteStore, StoreError, writeWatch } from '../src/store/sqlite-store.js';
import { WalCheckpointer } from '../src/store/wal-checkpointer.js';
import { writeSchemaV2Database, writeSchemaV4Database } from './helpers/schema-v2.js';
import { tempDir } from './helpers/tmp.js';

const result = (
  plane: string,
  checkedAt: number,
  status: StoredResult['status'] = 'HEALTHY',
  checkedBy = 'replica-a',
): StoredResult => ({
  plane,
  status,
  reason: status === 'HEALTHY' ? null : 'predict_http_500',
  checkedAt,
  durationMs: 12.5,
  steps: [{ step: 'user_lookup', outcome: 'ok', durationMs: 3 }],
  checkedBy,
});

/** As results stored before schema version 5 read back: nobody known checked them. */
const unattributed = (results: readonly StoredResult[]) => results.map((r) => ({ ...r, checkedBy: '' }));

/** A database file in WAL mode with a table `t`, that only the checkpointer under test folds back. */
function walDatabase(name: string): { path: string; db: Database.Database } {
  const path = join(tempDir(), name);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (x INTEGER)');
  return { path, db };
}

describe('SqliteResultStore', () => {
  it('keeps the latest result per plane and the history, across reopening', async () => {
    const path = join(tempDir(), 'nested', 'planecheck.db');
    const store = openSqliteStore(path);
    await store.saveResults([result('a', 1_000)]);
    await store.saveResults([result('a', 2_000, 'FAILED')]);
    await store.saveResults([result('b', 1_500)]);
    await store.close();

    const reopened = openSqliteStore(path);
    assert.deepEqual(await reopened.latestResults(), [result('a', 2_000, 'FAILED'), result('b', 1_500)]);
    assert.deepEqual(
      (await reopened.history('a', 10)).map((r) => r.checkedAt),
      [2_000, 1_000],
    );
    assert.deepEqual(
      (await reopened.history('a', 10, 1_500)).map((r) => r.checkedAt),
      [2_000],
    );
    assert.equal((await reopened.history('a', 1)).length, 1);
    assert.equal(reopened.database.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(reopened.database.pragma('user_version', { simple: true }), MIGRATIONS.length);
    await reopened.close();
  });

  it('prunes history in bounded batches and leaves the latest results alone', async () => {
    const store = openSqliteStore(join(tempDir(), 'p.db'));
    for (let i = 0; i < 25; i++) await store.saveResults([result('a', i * 1_000)]);
    assert.equal(await store.pruneHistory(20_000, 8), 8);
    assert.equal(await store.pruneHistory(20_000, 8), 8);
    assert.equal(await store.pruneHistory(20_000, 8), 4);
    assert.equal(await store.pruneHistory(20_000, 8), 0);
    assert.equal((await store.history('a', 100)).length, 5);
    assert.equal((await store.latestResults())[0]?.checkedAt, 24_000);
    store.checkpoint();
    await store.close();
  });

  it('moves a file that is not a database aside, byte for byte, and starts fresh', async () => {
    const dir = tempDir();
    const path = join(dir, 'planecheck.db');
    const garbage = Buffer.from("this is not an SQLite database, but it is somebody's data\n".repeat(100));
    writeFileSync(path, garbage);
    const events: { movedTo: string; cause: string }[] = [];
    const store = openSqliteStore(path, {
      onRecovered: (event) => events.push(event),
      now: () => new Date(0),
    });
    assert.equal(events.length, 1);
    assert.equal(events[0]?.movedTo, `${path}.corrupt-1970-01-01T00-00-00-000Z`);
    assert.match(events[0]?.cause ?? '', /not a database/);
    assert.deepEqual(readFileSync(events[0]?.movedTo ?? ''), garbage);
    await store.saveResults([result('a', 1)]);
    assert.equal((await store.latestResults()).length, 1);
    await store.close();
    assert.deepEqual(readdirSync(dir).filter((name) => name.includes('corrupt')).length, 1);
  });

  it('refuses a database from a newer schema version and leaves it untouched', () => {
    const path = join(tempDir(), 'future.db');
    const db = new Database(path);
    db.exec('CREATE TABLE future_things (x)');
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    const before = readFileSync(path);
    assert.throws(
      () => openSqliteStore(path),
      (error: Error) => {
        assert.ok(error instanceof StoreError);
        assert.match(
          error.message,
          new RegExp(`schema version ${MIGRATIONS.length + 1}, newer than this planecheck supports`),
        );
        return true;
      },
    );
    assert.deepEqual(readFileSync(path), before);
  });

  it('names the file when it cannot open it at all, and moves nothing aside', () => {
    const dir = tempDir();
    const file = join(dir, 'not-a-directory');
    writeFileSync(file, 'keep me');
    assert.throws(
      () => openSqliteStore(join(file, 'planecheck.db')),
      (error: unknown) =>
        error instanceof StoreError &&
        error.message.startsWith(`cannot open the database ${join(file, 'planecheck.db')}: `),
    );
    const directory = join(dir, 'a-directory.db');
    mkdirSync(directory);
    assert.throws(
      () => openSqliteStore(directory),
      (error: unknown) =>
        error instanceof StoreError &&
        error.message === `cannot open the database ${directory}: unable to open database file`,
    );
    assert.deepEqual(readdirSync(dir).sort(), ['a-directory.db', 'not-a-directory']);
    assert.equal(readFileSync(file, 'utf8'), 'keep me');
  });

  it('migrates an older database forward', async () => {
    const path = join(tempDir(), 'old.db');
    const db = new Database(path);
    db.exec(String(MIGRATIONS[0]));
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO latest_results VALUES ('a', 'HEALTHY', NULL, 5, 1, '[]')").run();
    db.close();
    const store = openSqliteStore(path);
    assert.equal(store.database.pragma('user_version', { simple: true }), MIGRATIONS.length);
    assert.equal((await store.latestResults())[0]?.checkedAt, 5);
    await store.close();
  });

  it('keeps every field of a failed check: reasons, step details, sub-millisecond durations', async () => {
    const path = join(tempDir(), 'f.db');
    const store = openSqliteStore(path);
    const failed: StoredResult = {
      plane: 'eu-west-1',
      status: 'FAILED',
      reason: 'async_predict_failed',
      checkedBy: 'pod-planecheck-7f9c/üñï:9464',
      checkedAt: 1_764_633_600_123,
      durationMs: 30_012.3,
      steps: [
        { step: 'user_lookup', outcome: 'ok', durationMs: 0.1 },
        { step: 'oracle_lookup', outcome: 'ok', durationMs: 0 },
        { step: 'predict', outcome: 'ok', durationMs: 123_456.7 },
        {
          step: 'async_predict',
          outcome: 'failed',
          durationMs: 30_000.4,
          reason: 'async_predict_failed',
          detail: 'async request ended FAILED: OOM — «ünïcode» 🚀',
        },
      ],
    };
    const noUser: StoredResult = {
      ...result('eu-west-1', failed.checkedAt + 60_000, 'NO_USER'),
      reason: 'user_not_found',
      steps: [{ step: 'user_lookup', outcome: 'not_found', durationMs: 2.5 }],
    };
    await store.saveResults([failed, noUser]);
    await store.close();
    const reopened = openSqliteStore(path);
    assert.deepEqual(await reopened.history('eu-west-1', 10), [noUser, failed]);
    await reopened.close();
  });

  it('keeps both results when a plane has two in the same millisecond', async () => {
    const store = openSqliteStore(join(tempDir(), 'same.db'));
    await store.saveResults([result('a', 5_000), result('a', 5_000, 'FAILED')]);
    await store.saveResults([result('a', 5_000, 'FAILED')]);
    assert.deepEqual(
      (await store.history('a', 10)).map((r) => [r.checkedAt, r.status]),
      [
        [5_002, 'FAILED'],
        [5_001, 'FAILED'],
        [5_000, 'HEALTHY'],
      ],
    );
    assert.deepEqual(await store.availability(0), new Map([['a', { healthy: 1, total: 3 }]]));
    await store.close();
  });

  it('keeps who checked each result, in the latest results and the history, across reopening', async () => {
    const path = join(tempDir(), 'instances.db');
    const store = openSqliteStore(path);
    const results = [
      result('a', 1_000, 'HEALTHY', 'replica-a'),
      result('a', 2_000, 'FAILED', 'replica-b'),
      result('a', 3_000, 'HEALTHY', 'action:123456'),
      result('b', 1_500, 'HEALTHY', 'replica-b'),
      result('b', 2_500, 'HEALTHY', ''),
    ];
    await store.saveResults(results.slice(0, 2));
    await store.saveResults(results.slice(2));
    await store.close();
    const reopened = openSqliteStore(path);
    assert.deepEqual(await reopened.history('a', 10), [results[2], results[1], results[0]]);
    assert.deepEqual(await reopened.history('b', 10), [results[4], results[3]]);
    assert.deepEqual(await reopened.latestResults(), [results[2], results[4]]);
    // Each name is stored once; a result with none ('') names no instance.
    assert.deepEqual(reopened.database.prepare('SELECT name FROM instances ORDER BY name').pluck().all(), [
      'action:123456',
      'replica-a',
      'replica-b',
    ]);
    assert.equal(
      reopened.database.prepare('SELECT count(*) FROM check_history WHERE instance_id IS NULL').pluck().get(),
      1,
    );
    await reopened.close();
  });

  it("never moves a plane's latest result backwards: a late write goes to the history only", async () => {
    const store = openSqliteStore(join(tempDir(), 'late.db'));
    // In one batch, out of order: the newest becomes the latest, whatever its place.
    await store.saveResults([
      result('a', 3_000, 'HEALTHY', 'replica-a'),
      result('a', 1_000, 'FAILED', 'replica-b'),
      result('b', 1_000, 'HEALTHY', 'replica-a'),
    ]);
    assert.deepEqual(
      (await store.latestResults()).map((r) => [r.plane, r.checkedAt, r.checkedBy]),
      [
        ['a', 3_000, 'replica-a'],
        ['b', 1_000, 'replica-a'],
      ],
    );
    // A replica that was cut off writes what it held: older than what another replica stored since.
    await store.saveResults([
      result('a', 2_000, 'FAILED', 'replica-c'),
      result('b', 2_000, 'FAILED', 'replica-c'),
    ]);
    assert.deepEqual(
      (await store.latestResults()).map((r) => [r.plane, r.checkedAt, r.status]),
      [
        ['a', 3_000, 'HEALTHY'],
        ['b', 2_000, 'FAILED'],
      ],
    );
    assert.deepEqual(
      (await store.history('a', 10)).map((r) => r.checkedAt),
      [3_000, 2_000, 1_000],
    );
    // Stamped alike: the later write wins (a re-check in the same millisecond).
    await store.saveResults([result('a', 3_000, 'NO_USER', 'replica-b')]);
    assert.equal((await store.latestResults())[0]?.status, 'NO_USER');
    await store.close();
  });

  it('keeps plane ids right after a write that rolled back', async () => {
    const store = openSqliteStore(join(tempDir(), 'rollback.db'));
    const broken = {
      ...result('new-plane', 1_000),
      steps: [{ step: 'bogus', outcome: 'ok', durationMs: 1 }],
    };
    await assert.rejects(store.saveResults([broken as unknown as StoredResult]), /unknown step name/);
    // The rolled-back write handed 'new-plane' an id; the next plane to be stored gets that id for real.
    await store.saveResults([result('other-plane', 2_000)]);
    await store.saveResults([result('new-plane', 3_000)]);
    assert.deepEqual(
      (await store.history('new-plane', 10)).map((r) => r.checkedAt),
      [3_000],
    );
    assert.deepEqual(
      (await store.history('other-plane', 10)).map((r) => r.checkedAt),
      [2_000],
    );
    await store.close();
  });

  it('folds the WAL back into the database on a thread of its own, never inside a write', async () => {
    const dir = tempDir();
    const path = join(dir, 'wal.db');
    const store = openSqliteStore(path);
    assert.equal(store.database.pragma('wal_autocheckpoint', { simple: true }), 0);
    const start = Date.UTC(2026, 0, 1);
    for (let cycle = 0; cycle < 40; cycle++) {
      await store.saveResults(
        Array.from({ length: 50 }, (_, p) => healthy(`plane-${p}`, start + cycle * 60_000)),
      );
    }
    const outcome = await store.checkpointInBackground();
    assert.ok(outcome && outcome.log > 0, `frames in the WAL: ${outcome?.log}`);
    assert.equal(outcome.checkpointed, outcome.log, 'every frame copied into the database file');
    // The database file alone, without its WAL, now holds every result.
    copyFileSync(path, join(dir, 'copy.db'));
    const copy = new Database(join(dir, 'copy.db'), { readonly: true });
    assert.equal(copy.prepare('SELECT count(*) FROM check_history').pluck().get(), 2_000);
    copy.close();
    await store.close();
    assert.equal(await store.checkpointInBackground(), undefined, 'closed: no thread, no wait');
  });

  it("sees every write of the store's connection, and only writes, for the periodic checkpoint", async () => {
    const store = openSqliteStore(join(tempDir(), 'watch.db'));
    const written = writeWatch(store.database);
    assert.equal(written(), true, 'the first call: nothing known yet');
    assert.equal(written(), false, 'nothing written since');
    await store.latestResults();
    await store.history('plane-0', 10);
    assert.equal(written(), false, 'reads are no writes');
    await store.saveResults([healthy('plane-0', Date.UTC(2026, 0, 1))]);
    assert.equal(written(), true, 'a result saved');
    assert.equal(written(), false);
    await store.pruneHistory(Date.UTC(2027, 0, 1), 100);
    assert.equal(written(), true, 'history pruned');
    await store.close();
  });

  it('skips the periodic checkpoint while nothing was written, and never an asked-for one', async () => {
    const { path, db } = walDatabase('tick.db');
    let wrote = false;
    // The interval is never reached in the test: ticks are called by hand.
    const checkpointer = new WalCheckpointer(path, { intervalMs: 3_600_000, written: () => wrote });
    try {
      assert.equal(checkpointer.tick(), undefined, 'nothing written: no checkpoint');
      db.prepare('INSERT INTO t VALUES (1)').run();
      wrote = true;
      const outcome = await checkpointer.tick();
      assert.ok(outcome && outcome.log > 0 && outcome.checkpointed === outcome.log, JSON.stringify(outcome));
      wrote = false;
      assert.equal(checkpointer.tick(), undefined);
      assert.ok(await checkpointer.request(), 'an asked-for checkpoint runs whatever was written');
    } finally {
      checkpointer.close();
      db.close();
    }
    assert.equal(checkpointer.tick(), undefined, 'closed: nothing, no error');
  });

  it('tries again at the next tick when a reader held frames back, written since or not', async () => {
    const { path, db } = walDatabase('held.db');
    const reader = new Database(path, { readonly: true });
    let wrote = false;
    const checkpointer = new WalCheckpointer(path, { intervalMs: 3_600_000, written: () => wrote });
    try {
      // A read transaction keeps its snapshot: frames written after it cannot be folded back until it ends.
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM t').get();
      const insert = db.prepare('INSERT INTO t VALUES (?)');
      db.transaction(() => {
        for (let i = 0; i < 200; i++) insert.run(i);
      })();
      wrote = true;
      const held = await checkpointer.tick();
      assert.ok(held && held.checkpointed < held.log, `held back: ${JSON.stringify(held)}`);
      reader.exec('COMMIT');
      wrote = false;
      const retried = await checkpointer.tick();
      assert.ok(retried && retried.checkpointed === retried.log, `retried: ${JSON.stringify(retried)}`);
      assert.equal(checkpointer.tick(), undefined, 'finished and nothing written since');
    } finally {
      checkpointer.close();
      reader.close();
      db.close();
    }
  });

  it('checkpoints when it cannot tell whether anything was written, and says why', async () => {
    const path = join(tempDir(), 'unknown.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    const errors: string[] = [];
    const checkpointer = new WalCheckpointer(path, {
      intervalMs: 3_600_000,
      written: () => {
        throw new Error('The database connection is not open');
      },
      onError: (error) => errors.push(error.message),
    });
    try {
      assert.ok(await checkpointer.tick());
      assert.deepEqual(errors, ['The database connection is not open']);
    } finally {
      checkpointer.close();
      db.close();
    }
  });

  it("asks for the store's periodic checkpoint only after the store wrote", async () => {
    const store = openSqliteStore(join(tempDir(), 'periodic.db'), { checkpointEveryMs: 3_600_000 });
    try {
      await store.periodicCheckpoint(); // the first turn: what opening the file wrote
      assert.equal(store.periodicCheckpoint(), undefined, 'nothing written since');
      await store.latestResults();
      assert.equal(store.periodicCheckpoint(), undefined, 'a read is no write');
      await store.saveResults([healthy('plane-0', Date.UTC(2026, 0, 1))]);
      const outcome = await store.periodicCheckpoint();
      assert.ok(outcome && outcome.log > 0 && outcome.checkpointed === outcome.log, JSON.stringify(outcome));
      assert.equal(store.periodicCheckpoint(), undefined);
    } finally {
      await store.close();
    }
  });

  it('stores a healthy check in under 40 bytes, indexes included', async () => {
    const store = openSqliteStore(join(tempDir(), 'size.db'));
    const start = Date.UTC(2026, 0, 1);
    for (let cycle = 0; cycle < 200; cycle++) {
      await store.saveResults(
        Array.from({ length: 50 }, (_, plane) =>
          healthy(`plane-${plane}`, start + cycle * 60_000 + plane * 7),
        ),
      );
    }
    store.checkpoint();
    const bytes = historyBytes(store.database);
    assert.ok(bytes / 10_000 < 40, `${(bytes / 10_000).toFixed(1)} bytes per check`);
    await store.close();
  });
});

describe('availability from hourly counts', () => {
  const HOUR = 3_600_000;
  const start = Date.UTC(2026, 0, 1, 9, 50);

  /** 3 planes, one result a minute each for 4 h 20 min from 09:50, statuses varying by plane and minute. */
  const results: StoredResult[] = [];
  for (let minute = 0; minute < 260; minute++) {
    for (const [index, plane] of ['a', 'b', 'c'].entries()) {
      const statuses = ['HEALTHY', 'FAILED', 'NO_USER', 'NO_ORACLE'] as const;
      const status = (minute * (index + 1)) % 7 === 0 ? statuses[(minute + index) % 4] : 'HEALTHY';
      results.push(result(plane, start + minute * 60_000 + index * 1_000 + (minute % 13), status));
    }
  }
  const scan = (since: number, from: readonly StoredResult[] = results) => {
    const counts = new Map<string, { healthy: number; total: number }>();
    for (const r of from) {
      if (r.checkedAt < since) continue;
      const entry = counts.get(r.plane) ?? { healthy: 0, total: 0 };
      entry.total++;
      if (r.status === 'HEALTHY') entry.healthy++;
      counts.set(r.plane, entry);
    }
    return counts;
  };
  const sinceValues = (from: number, to: number) => {
    const values: number[] = [];
    for (let hour = Math.floor(from / HOUR); hour * HOUR <= to; hour++) {
      for (const offset of [-1, 0, 1, 59_999, 60_000, HOUR / 4, HOUR / 2 - 1, HOUR / 2, HOUR / 2 + 1]) {
        values.push(hour * HOUR + offset, hour * HOUR + HOUR - offset);
      }
    }
    return values.filter((since) => since >= from && since <= to);
  };

  it('hourly counts equal a scan of the history, per plane, status and hour', async () => {
    const store = openSqliteStore(join(tempDir(), 'hours.db'));
    // As the daemon writes: one result per transaction, and some in batches.
    for (const r of results.slice(0, 300)) await store.saveResults([r]);
    await store.saveResults(results.slice(300));
    const db = store.database;
    const hours = db
      .prepare(
        `SELECT p.name AS plane, h.hour, h.healthy, h.no_user, h.no_oracle, h.failed
         FROM check_hours h JOIN planes p ON p.id = h.plane_id ORDER BY p.name, h.hour`,
      )
      .all();
    const expected = new Map<string, Record<string, number | string>>();
    for (const r of results) {
      const hour = Math.floor(r.checkedAt / HOUR);
      const key = `${r.plane}:${hour}`;
      const entry = expected.get(key) ?? {
        plane: r.plane,
        hour,
        healthy: 0,
        no_user: 0,
        no_oracle: 0,
        failed: 0,
      };
      const column = r.status.toLowerCase();
      entry[column] = Number(entry[column]) + 1;
      expected.set(key, entry);
    }
    assert.equal(hours.length, 3 * 6, 'three planes over six clock hours (09:50 to 14:10)');
    const byPlaneAndHour = [...expected.values()].sort(
      (x, y) => String(x.plane).localeCompare(String(y.plane)) || Number(x.hour) - Number(y.hour),
    );
    assert.deepEqual(hours, byPlaneAndHour);
    await store.close();
  });

  it('availability since any moment equals a scan, across hour boundaries and after reopening', async () => {
    const path = join(tempDir(), 'avail.db');
    const store = openSqliteStore(path);
    await store.saveResults(results);
    await store.close();
    const reopened = openSqliteStore(path);
    const last = results.at(-1)?.checkedAt ?? 0;
    const values = sinceValues(start - HOUR, last + 1);
    assert.ok(values.length > 50);
    for (const since of values)
      assert.deepEqual(await reopened.availability(since), scan(since), `since ${since}`);
    await reopened.close();
  });

  it('prunes history in bounded batches and takes the pruned results off their hourly counts', async () => {
    const store = openSqliteStore(join(tempDir(), 'prune-hours.db'));
    await store.saveResults(results);
    const cutoff = Date.UTC(2026, 0, 1, 12, 20);
    let batches = 0;
    while ((await store.pruneHistory(cutoff, 50)) > 0) batches++;
    // 09:50 to 12:20: 3 planes x 150 results.
    assert.equal(batches, (3 * 150) / 50, 'batches of at most 50');
    const kept = results.filter((r) => r.checkedAt >= cutoff);
    assert.equal(
      (store.database.prepare('SELECT count(*) AS n FROM check_history').get() as { n: number }).n,
      kept.length,
    );
    const hours = store.database.prepare('SELECT DISTINCT hour FROM check_hours ORDER BY hour').pluck().all();
    assert.deepEqual(
      hours,
      [12, 13, 14].map((h) => Date.UTC(2026, 0, 1, h) / HOUR),
    );
    for (const since of sinceValues(start - HOUR, kept.at(-1)?.checkedAt ?? 0)) {
      assert.deepEqual(await store.availability(since), scan(since, kept), `since ${since}`);
    }
    await store.close();
  });

  it('migrates a database of the previous schema, keeping every result, its counts and its latest result', async () => {
    const path = join(tempDir(), 'v2.db');
    const history = [
      ...results,
      // One plane with a failure in detail, and two results in the same millisecond.
      {
        ...result('d', start, 'FAILED'),
        steps: [
          {
            step: 'user_lookup' as const,
            outcome: 'failed' as const,
            durationMs: 10_000.1,
            reason: 'user_lookup_timeout',
            detail: 'the server did not answer in time',
          },
        ],
        reason: 'user_lookup_timeout',
      },
      result('d', start + 60_000),
      result('d', start + 60_000, 'FAILED'),
    ];
    writeSchemaV2Database(path, history);
    const store = openSqliteStore(path);
    const db = store.database;
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    const byPlane = (plane: string) => unattributed(history.filter((r) => r.plane === plane).reverse());
    for (const plane of ['a', 'b', 'c'])
      assert.deepEqual(await store.history(plane, 1_000), byPlane(plane), plane);
    assert.deepEqual(
      (await store.history('d', 10)).map((r) => [r.checkedAt, r.status]),
      [
        [start + 60_001, 'FAILED'],
        [start + 60_000, 'HEALTHY'],
        [start, 'FAILED'],
      ],
    );
    assert.deepEqual((await store.history('d', 10)).at(-1), { ...history.at(-3), checkedBy: '' });
    assert.deepEqual(
      (await store.latestResults()).map((r) => [r.plane, r.checkedAt]),
      ['a', 'b', 'c', 'd'].map((plane) => [plane, byPlane(plane)[0]?.checkedAt]),
    );
    for (const since of sinceValues(start, start + 3 * HOUR)) {
      assert.deepEqual(
        await store.availability(since),
        scan(since, history.slice(0, -1).concat(result('d', start + 60_001, 'FAILED'))),
      );
    }
    assert.match(
      String(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'check_history'").pluck().get()),
      /WITHOUT ROWID/,
    );
    assert.deepEqual(
      db
        .prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'check_history%' ORDER BY name")
        .pluck()
        .all(),
      ['check_history'],
      'the old table and its indexes are gone',
    );
    const bytes = historyBytes(db, ['check_history']);
    assert.ok(bytes / history.length < 40, `${bytes / history.length} bytes per check`);
    await store.close();
  });
});

describe('schema version 5 (who checked)', () => {
  it('migrates a version-4 database, keeping every result, its counts and its latest result', async () => {
    const path = join(tempDir(), 'v4.db');
    const start = Date.UTC(2026, 0, 1, 9, 50);
    const history: StoredResult[] = [];
    for (let minute = 0; minute < 150; minute++) {
      for (const plane of ['a', 'b']) {
        const status = minute % 11 === 0 ? 'FAILED' : 'HEALTHY';
        history.push({ ...healthy(plane, start + minute * 60_000 + (plane === 'b' ? 500 : 0)), status });
      }
    }
    history.push({
      ...healthy('c', start),
      status: 'NO_USER',
      reason: 'user_not_found',
      steps: [{ step: 'user_lookup', outcome: 'not_found', durationMs: 2.5, detail: 'no «user» 🚀' }],
    });
    writeSchemaV4Database(path, history);
    const v4 = new Database(path, { readonly: true });
    assert.equal(v4.pragma('user_version', { simple: true }), 4);
    const v4Rows = v4.prepare('SELECT count(*) FROM check_history').pluck().get();
    const v4Hours = v4.prepare('SELECT * FROM check_hours ORDER BY hour, plane_id').all();
    assert.equal(v4Rows, history.length);
    v4.close();

    const store = openSqliteStore(path);
    const db = store.database;
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    assert.deepEqual(db.prepare('SELECT * FROM check_hours ORDER BY hour, plane_id').all(), v4Hours);
    for (const plane of ['a', 'b', 'c']) {
      const expected = unattributed(history.filter((r) => r.plane === plane).reverse());
      assert.deepEqual(await store.history(plane, 1_000), expected, plane);
    }
    assert.deepEqual(
      await store.latestResults(),
      ['a', 'b', 'c'].map((plane) => ({ ...history.findLast((r) => r.plane === plane), checkedBy: '' })),
    );
    // New results carry their instance next to the old ones.
    await store.saveResults([{ ...healthy('a', start + 3 * 3_600_000), checkedBy: 'replica-new' }]);
    assert.deepEqual(
      (await store.history('a', 2)).map((r) => r.checkedBy),
      ['replica-new', ''],
    );
    assert.equal((await store.latestResults())[0]?.checkedBy, 'replica-new');
    await store.close();
  });
});

function healthy(plane: string, checkedAt: number): StoredResult {
  return {
    plane,
    status: 'HEALTHY',
    reason: null,
    checkedAt,
    durationMs: 1_043.2,
    steps: [
      { step: 'user_lookup', outcome: 'ok', durationMs: 3.4 },
      { step: 'oracle_lookup', outcome: 'ok', durationMs: 2.9 },
      { step: 'predict', outcome: 'ok', durationMs: 18.7 },
      { step: 'async_predict', outcome: 'ok', durationMs: 1_021.6 },
    ],
    checkedBy: `planecheck-${checkedAt % 3}`,
  };
}

/** Bytes of every table and index holding history (dbstat counts whole pages, free space included). */
function historyBytes(
  db: Database.Database,
  tables = ['check_history', 'check_hours', 'planes', 'reasons', 'instances'],
): number {
  return Number(
    db
      .prepare(
        `SELECT sum(pgsize) FROM dbstat WHERE name IN (
           SELECT name FROM sqlite_schema WHERE tbl_name IN (SELECT value FROM json_each(?)))`,
      )
      .pluck()
      .get(JSON.stringify(tables)),
  );
}
