import Database from 'better-sqlite3';
import type { StoredResult } from '../../src/check/stored-result.js';
import { MIGRATIONS } from '../../src/store/sqlite-store.js';

/**
 * The schema planecheck wrote up to version 2 (history as one row of text and JSON per check, two
 * indexes), copied here as it was, so tests can make the databases that users already have.
 */
const SCHEMA_V2 = `
  CREATE TABLE latest_results (
    plane TEXT PRIMARY KEY, status TEXT NOT NULL, reason TEXT, checked_at INTEGER NOT NULL,
    duration_ms REAL NOT NULL, steps TEXT NOT NULL
  );
  CREATE TABLE check_history (
    id INTEGER PRIMARY KEY, plane TEXT NOT NULL, status TEXT NOT NULL, reason TEXT,
    checked_at INTEGER NOT NULL, duration_ms REAL NOT NULL, steps TEXT NOT NULL
  );
  CREATE INDEX check_history_plane_time ON check_history (plane, checked_at);
  CREATE INDEX check_history_time ON check_history (checked_at);
  CREATE TABLE heal_actions (
    id INTEGER PRIMARY KEY, plane TEXT NOT NULL, reason TEXT NOT NULL, correlation_id TEXT NOT NULL UNIQUE,
    dispatched_at INTEGER NOT NULL, status TEXT NOT NULL, run_id INTEGER, run_url TEXT, conclusion TEXT,
    outcome TEXT, error TEXT, updated_at INTEGER NOT NULL
  );
  CREATE INDEX heal_actions_plane_time ON heal_actions (plane, dispatched_at);
  CREATE INDEX heal_actions_time ON heal_actions (dispatched_at);`;

/** Creates a version-2 database at `path` holding `history` (in order) and each plane's last result. */
export function writeSchemaV2Database(path: string, history: readonly StoredResult[]): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA_V2);
  db.pragma('user_version = 2');
  const insert = (table: string) =>
    db.prepare(
      `INSERT OR REPLACE INTO ${table} (plane, status, reason, checked_at, duration_ms, steps)
       VALUES (@plane, @status, @reason, @checkedAt, @durationMs, @steps)`,
    );
  const intoHistory = insert('check_history');
  const intoLatest = insert('latest_results');
  db.transaction(() => {
    for (const result of history) {
      const row = { ...result, steps: JSON.stringify(result.steps) };
      intoHistory.run(row);
      intoLatest.run(row);
    }
  })();
  db.close();
}

/**
 * Creates a version-4 database at `path` (compact history, no instances): a version-2 one, moved forward
 * by migrations 3 and 4 exactly as planecheck ran them (old migrations are never edited).
 */
export function writeSchemaV4Database(path: string, history: readonly StoredResult[]): void {
  writeSchemaV2Database(path, history);
  const db = new Database(path);
  for (const [index, migration] of MIGRATIONS.slice(2, 4).entries()) {
    db.transaction(() => {
      if (typeof migration === 'string') db.exec(migration);
      else migration(db);
      db.pragma(`user_version = ${index + 3}`);
    }).immediate();
  }
  db.close();
}
