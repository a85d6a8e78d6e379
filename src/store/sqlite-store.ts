import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StepReport } from '../check/report.js';
import type { StoredResult } from './plane-state.js';
import type { ResultStore } from './result-store.js';

type Db = Database.Database;

/** Schema migrations, applied in order; `PRAGMA user_version` records how many ran. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE latest_results (
     plane TEXT PRIMARY KEY,
     status TEXT NOT NULL,
     reason TEXT,
     checked_at INTEGER NOT NULL,
     duration_ms REAL NOT NULL,
     steps TEXT NOT NULL
   );
   CREATE TABLE check_history (
     id INTEGER PRIMARY KEY,
     plane TEXT NOT NULL,
     status TEXT NOT NULL,
     reason TEXT,
     checked_at INTEGER NOT NULL,
     duration_ms REAL NOT NULL,
     steps TEXT NOT NULL
   );
   CREATE INDEX check_history_plane_time ON check_history (plane, checked_at);
   CREATE INDEX check_history_time ON check_history (checked_at);`,
  `CREATE TABLE heal_actions (
     id INTEGER PRIMARY KEY,
     plane TEXT NOT NULL,
     reason TEXT NOT NULL,
     correlation_id TEXT NOT NULL UNIQUE,
     dispatched_at INTEGER NOT NULL,
     status TEXT NOT NULL,
     run_id INTEGER,
     run_url TEXT,
     conclusion TEXT,
     outcome TEXT,
     error TEXT,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX heal_actions_plane_time ON heal_actions (plane, dispatched_at);
   CREATE INDEX heal_actions_time ON heal_actions (dispatched_at);`,
  // Until when GitHub asked for no requests (epoch ms): one row, kept across restarts.
  `CREATE TABLE github_backoff (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     until INTEGER NOT NULL
   );`,
];

export class StoreError extends Error {
  override name = 'StoreError';
}

export interface OpenStoreOptions {
  /** Called when the file was not a usable database and has been moved aside to `movedTo`. */
  onRecovered?: (event: { path: string; movedTo: string; cause: string }) => void;
  now?: () => Date;
}

interface Row {
  plane: string;
  status: StoredResult['status'];
  reason: string | null;
  checked_at: number;
  duration_ms: number;
  steps: string;
}

/**
 * Opens (or creates) the SQLite store. A file that is not a usable database is renamed aside with a
 * timestamp (never deleted) and a fresh one started; a database from a newer planecheck is refused.
 */
export function openSqliteStore(path: string, options: OpenStoreOptions = {}): SqliteResultStore {
  try {
    return openOrRecover(path, options);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    // A directory in the way, a path under a file, no permission, a full disk: name the file, not the syscall.
    const cause = error instanceof Error ? error.message : String(error);
    throw new StoreError(`cannot open the database ${path}: ${cause}`, { cause: error });
  }
}

function openOrRecover(path: string, options: OpenStoreOptions): SqliteResultStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  try {
    return new SqliteResultStore(openDatabase(path));
  } catch (error) {
    if (!isCorruption(error) || path === ':memory:') throw error;
    const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const movedTo = `${path}.corrupt-${stamp}`;
    renameSync(path, movedTo);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(path + suffix)) renameSync(path + suffix, movedTo + suffix);
    }
    options.onRecovered?.({ path, movedTo, cause: error instanceof Error ? error.message : String(error) });
    return new SqliteResultStore(openDatabase(path));
  }
}

function openDatabase(path: string): Db {
  const db = new Database(path);
  try {
    // Short: writes run on the event loop, and a lock held by another process must not stall scrapes.
    // A write that finds the database busy is kept in memory and retried (ResultWriter).
    db.pragma('busy_timeout = 100');
    // Read-only checks first: a database we refuse must be left exactly as it was.
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new CorruptDatabase(`quick_check: ${String(check)}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new StoreError(
        `database ${path} has schema version ${version}, newer than this planecheck supports (${MIGRATIONS.length}): ` +
          'run a newer planecheck, or point storage.path at another file',
      );
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Keep the WAL file from growing without bound between checkpoints.
    db.pragma('journal_size_limit = 67108864');
    db.pragma('wal_autocheckpoint = 1000');
    migrate(db, version);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

class CorruptDatabase extends Error {}

function isCorruption(error: unknown): boolean {
  if (error instanceof CorruptDatabase) return true;
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

function migrate(db: Db, version: number): void {
  for (let next = version; next < MIGRATIONS.length; next++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[next] ?? '');
      db.pragma(`user_version = ${next + 1}`);
    }).immediate();
  }
}

export class SqliteResultStore implements ResultStore {
  readonly #db: Db;
  readonly #upsertLatest: Database.Statement;
  readonly #insertHistory: Database.Statement;
  readonly #selectLatest: Database.Statement<[], Row>;
  readonly #selectHistory: Database.Statement<[string, number, number], Row>;
  readonly #pruneHistory: Database.Statement<[number, number]>;
  readonly #availability: Database.Statement<[number], { plane: string; healthy: number; total: number }>;
  readonly #save: (results: readonly StoredResult[]) => void;

  constructor(db: Db) {
    this.#db = db;
    this.#upsertLatest = db.prepare(
      `INSERT INTO latest_results (plane, status, reason, checked_at, duration_ms, steps)
       VALUES (@plane, @status, @reason, @checked_at, @duration_ms, @steps)
       ON CONFLICT (plane) DO UPDATE SET status = excluded.status, reason = excluded.reason,
         checked_at = excluded.checked_at, duration_ms = excluded.duration_ms, steps = excluded.steps`,
    );
    this.#insertHistory = db.prepare(
      `INSERT INTO check_history (plane, status, reason, checked_at, duration_ms, steps)
       VALUES (@plane, @status, @reason, @checked_at, @duration_ms, @steps)`,
    );
    this.#selectLatest = db.prepare('SELECT * FROM latest_results ORDER BY plane');
    this.#selectHistory = db.prepare(
      'SELECT * FROM check_history WHERE plane = ? AND checked_at >= ? ORDER BY checked_at DESC LIMIT ?',
    );
    this.#pruneHistory = db.prepare(
      'DELETE FROM check_history WHERE id IN (SELECT id FROM check_history WHERE checked_at < ? LIMIT ?)',
    );
    this.#availability = db.prepare(
      `SELECT plane, sum(status = 'HEALTHY') AS healthy, count(*) AS total
       FROM check_history WHERE checked_at >= ? GROUP BY plane`,
    );
    this.#save = db.transaction((results: readonly StoredResult[]) => {
      for (const result of results) {
        const row = toRow(result);
        this.#upsertLatest.run(row);
        this.#insertHistory.run(row);
      }
    });
  }

  saveResult(result: StoredResult): void {
    this.#save([result]);
  }

  saveResults(results: readonly StoredResult[]): void {
    this.#save(results);
  }

  latestResults(): StoredResult[] {
    return this.#selectLatest.all().map(fromRow);
  }

  history(plane: string, limit: number, since = 0): StoredResult[] {
    return this.#selectHistory.all(plane, since, limit).map(fromRow);
  }

  availability(since: number): Map<string, { healthy: number; total: number }> {
    return new Map(
      this.#availability.all(since).map((row) => [row.plane, { healthy: row.healthy, total: row.total }]),
    );
  }

  pruneHistory(before: number, batchSize: number): number {
    return this.#pruneHistory.run(before, batchSize).changes;
  }

  /** Folds the WAL back into the database and truncates it. */
  checkpoint(): void {
    this.#db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** The underlying handle, for checks such as `PRAGMA integrity_check` in tests and tools. */
  get database(): Db {
    return this.#db;
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

function toRow(result: StoredResult): Row {
  return {
    plane: result.plane,
    status: result.status,
    reason: result.reason,
    checked_at: result.checkedAt,
    duration_ms: result.durationMs,
    steps: JSON.stringify(result.steps),
  };
}

function fromRow(row: Row): StoredResult {
  return {
    plane: row.plane,
    status: row.status,
    reason: row.reason,
    checkedAt: row.checked_at,
    durationMs: row.duration_ms,
    steps: JSON.parse(row.steps) as StepReport[],
  };
}
