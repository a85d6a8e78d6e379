import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { StoredResult } from '../src/store/plane-state.js';
import { MIGRATIONS, openSqliteStore, StoreError } from '../src/store/sqlite-store.js';
import { tempDir } from './helpers/tmp.js';

const result = (
  plane: string,
  checkedAt: number,
  status: StoredResult['status'] = 'HEALTHY',
): StoredResult => ({
  plane,
  status,
  reason: status === 'HEALTHY' ? null : 'predict_http_500',
  checkedAt,
  durationMs: 12.5,
  steps: [{ step: 'user_lookup', outcome: 'ok', durationMs: 3 }],
});

describe('SqliteResultStore', () => {
  it('keeps the latest result per plane and the history, across reopening', () => {
    const path = join(tempDir(), 'nested', 'planecheck.db');
    const store = openSqliteStore(path);
    store.saveResult(result('a', 1_000));
    store.saveResult(result('a', 2_000, 'FAILED'));
    store.saveResult(result('b', 1_500));
    store.close();

    const reopened = openSqliteStore(path);
    assert.deepEqual(reopened.latestResults(), [result('a', 2_000, 'FAILED'), result('b', 1_500)]);
    assert.deepEqual(
      reopened.history('a', 10).map((r) => r.checkedAt),
      [2_000, 1_000],
    );
    assert.deepEqual(
      reopened.history('a', 10, 1_500).map((r) => r.checkedAt),
      [2_000],
    );
    assert.equal(reopened.history('a', 1).length, 1);
    assert.equal(reopened.database.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(reopened.database.pragma('user_version', { simple: true }), MIGRATIONS.length);
    reopened.close();
  });

  it('prunes history in bounded batches and leaves the latest results alone', () => {
    const store = openSqliteStore(join(tempDir(), 'p.db'));
    for (let i = 0; i < 25; i++) store.saveResult(result('a', i * 1_000));
    assert.equal(store.pruneHistory(20_000, 8), 8);
    assert.equal(store.pruneHistory(20_000, 8), 8);
    assert.equal(store.pruneHistory(20_000, 8), 4);
    assert.equal(store.pruneHistory(20_000, 8), 0);
    assert.equal(store.history('a', 100).length, 5);
    assert.equal(store.latestResults()[0]?.checkedAt, 24_000);
    store.checkpoint();
    store.close();
  });

  it('moves a file that is not a database aside, byte for byte, and starts fresh', () => {
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
    store.saveResult(result('a', 1));
    assert.equal(store.latestResults().length, 1);
    store.close();
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

  it('migrates an older database forward', () => {
    const path = join(tempDir(), 'old.db');
    const db = new Database(path);
    db.exec(MIGRATIONS[0] ?? '');
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO latest_results VALUES ('a', 'HEALTHY', NULL, 5, 1, '[]')").run();
    db.close();
    const store = openSqliteStore(path);
    assert.equal(store.database.pragma('user_version', { simple: true }), MIGRATIONS.length);
    assert.equal(store.latestResults()[0]?.checkedAt, 5);
    store.close();
  });
});
