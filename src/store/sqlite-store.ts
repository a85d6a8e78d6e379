import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StepReport } from '../check/report.js';
import type { StoredResult } from '../check/stored-result.js';
import type { ResultStore } from '../check/result-store.js';
import { HISTORY_SCHEMA, INSTANCES_SCHEMA, SqliteHistory, type HealthyCounts } from './sqlite-history.js';
import { WalCheckpointer, type CheckpointOutcome } from './wal-checkpointer.js';
import { MAINTENANCE_SCHEMA } from './sqlite-maintenance.js';

type Db = Database.Database;

/** SQL, or code for a migration that has to re-encode rows. Runs in one transaction. */
export type Migration = string | ((db: Db) => void);

/** Schema migrations, applied in order; `PRAGMA user_version` records how many ran. Never edit one. */
export const MIGRATIONS: readonly Migration[] = [
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
  compactHistory,
  // Who checked: the instance of every result (a fleet has several); results stored before read back ''.
  `${INSTANCES_SCHEMA}
   ALTER TABLE latest_results ADD COLUMN checked_by TEXT NOT NULL DEFAULT '';`,
  // heal_actions: follow lease. The replica following a run to its outcome, and until when (epoch ms);
  // another replica takes the run over once that has passed. Rows from before have no follower: anyone may.
  `ALTER TABLE heal_actions ADD COLUMN follower TEXT;
   ALTER TABLE heal_actions ADD COLUMN follow_until INTEGER;`,
  // Maintenance started at run time (one row per plane), and the audit trail (`key` drops repeats).
  `${MAINTENANCE_SCHEMA}`,
];

const MIGRATION_BATCH = 5_000;

/** Checkpoints inside writes, when there is no checkpoint thread: small ones (400 KB), each a short stop. */
const AUTOCHECKPOINT_PAGES = 100;

/**
 * A WAL longer than this (64 MB, the journal size limit; a cycle of 1,000 planes writes ~16 MB) is
 * truncated by the next `checkpoint()`.
 */
const WAL_RESET_FRAMES = 16_384;

/**
 * Version 4: the history moves to the compact tables (sqlite-history.ts). Every row is kept, re-encoded
 * through the same code that writes new results, which also fills the hourly counts. The old table's
 * pages go to SQLite's free list and are reused; `VACUUM` (offline) gives them back to the disk.
 */
function compactHistory(db: Db): void {
  db.exec('ALTER TABLE check_history RENAME TO check_history_v2');
  db.exec(HISTORY_SCHEMA);
  const history = new SqliteHistory(db, 4);
  const batch = db.prepare<[number, number], Row & { id: number }>(
    'SELECT * FROM check_history_v2 WHERE id > ? ORDER BY id LIMIT ?',
  );
  for (let after = 0; ;) {
    const rows = batch.all(after, MIGRATION_BATCH);
    const last = rows.at(-1);
    if (last === undefined) break;
    history.append(rows.map(fromRow));
    after = last.id;
  }
  db.exec('DROP TABLE check_history_v2');
}

// Moved to store-error.ts (shared with the PostgreSQL adapter); re-exported for existing importers.
import { StoreError } from './store-error.js';
export { StoreError };

export interface OpenStoreOptions {
  /** Called when the file was not a usable database and has been moved aside to `movedTo`. */
  onRecovered?: (event: { path: string; movedTo: string; cause: string }) => void;
  /** A background checkpoint failed (the data is safe; the WAL grows until one succeeds). */
  onCheckpointError?: (error: Error) => void;
  /** How often the checkpoint thread is asked to fold back what was written (1 s). */
  checkpointEveryMs?: number;
  now?: () => Date;
}

interface Row {
  plane: string;
  status: StoredResult['status'];
  reason: string | null;
  checked_at: number;
  duration_ms: number;
  steps: string;
  /** Absent before schema version 5. */
  checked_by?: string;
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
    return new SqliteResultStore(openDatabase(path), options);
  } catch (error) {
    if (!isCorruption(error) || path === ':memory:') throw error;
    const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const movedTo = `${path}.corrupt-${stamp}`;
    renameSync(path, movedTo);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(path + suffix)) renameSync(path + suffix, movedTo + suffix);
    }
    options.onRecovered?.({ path, movedTo, cause: error instanceof Error ? error.message : String(error) });
    return new SqliteResultStore(openDatabase(path), options);
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
    db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
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
      const migration = MIGRATIONS[next] ?? '';
      if (typeof migration === 'string') db.exec(migration);
      else migration(db);
      db.pragma(`user_version = ${next + 1}`);
    }).immediate();
  }
}

/**
 * Whether the connection changed any row since the last call (true on the first): SQLite's count of rows
 * this connection inserted, updated or deleted, read with one statement and no I/O. Every write goes through
 * the daemon's one connection (the maintenance command goes through its API). Not counted: schema changes,
 * which happen only when the file is opened, before the first call.
 */
export function writeWatch(db: Db): () => boolean {
  const totalChanges = db.prepare('SELECT total_changes()').pluck();
  let seen: number | undefined;
  return () => {
    const now = totalChanges.get() as number;
    const changed = now !== seen;
    seen = now;
    return changed;
  };
}

/**
 * The result store of a single daemon: one SQLite file. better-sqlite3 is synchronous; each method does its
 * work at once, on the event loop (a write is one short transaction, see busy_timeout), and hands back a
 * settled promise.
 */
export class SqliteResultStore implements ResultStore {
  readonly #db: Db;
  readonly #history: SqliteHistory;
  readonly #upsertLatest: Database.Statement;
  readonly #selectLatest: Database.Statement<[], Row>;
  readonly #save: (results: readonly StoredResult[]) => void;
  readonly #checkpointer: WalCheckpointer | undefined;

  /** A file database gets its checkpoints on a thread of their own (see WalCheckpointer). */
  constructor(db: Db, options: Pick<OpenStoreOptions, 'onCheckpointError' | 'checkpointEveryMs'> = {}) {
    this.#db = db;
    if (!db.memory) {
      const onError = options.onCheckpointError ?? (() => undefined);
      this.#checkpointer = new WalCheckpointer(db.name, {
        intervalMs: options.checkpointEveryMs,
        written: writeWatch(db),
        onError,
        onFailed: (error) => {
          // Back to checkpoints inside writes, so the WAL cannot grow without bound.
          if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
          onError(error);
        },
      });
      db.pragma('wal_autocheckpoint = 0');
    }
    this.#history = new SqliteHistory(db);
    this.#upsertLatest = db.prepare(
      `INSERT INTO latest_results (plane, status, reason, checked_at, duration_ms, steps, checked_by)
       VALUES (@plane, @status, @reason, @checked_at, @duration_ms, @steps, @checked_by)
       ON CONFLICT (plane) DO UPDATE SET status = excluded.status, reason = excluded.reason,
         checked_at = excluded.checked_at, duration_ms = excluded.duration_ms, steps = excluded.steps,
         checked_by = excluded.checked_by
       WHERE latest_results.checked_at <= excluded.checked_at`,
    );
    this.#selectLatest = db.prepare('SELECT * FROM latest_results ORDER BY plane');
    this.#save = db.transaction((results: readonly StoredResult[]) => {
      for (const result of newestPerPlane(results)) this.#upsertLatest.run(toRow(result));
      this.#history.append(results);
    });
  }

  saveResults(results: readonly StoredResult[]): Promise<void> {
    return settle(() => {
      try {
        this.#save(results);
      } catch (error) {
        this.#history.reload();
        throw error;
      }
    });
  }

  latestResults(): Promise<StoredResult[]> {
    return settle(() => this.#selectLatest.all().map(fromRow));
  }

  history(plane: string, limit: number, since = 0): Promise<StoredResult[]> {
    return settle(() => this.#history.recent(plane, limit, since));
  }

  availability(since: number, planes?: readonly string[]): Promise<Map<string, HealthyCounts>> {
    return settle(() => this.#history.availability(since, planes));
  }

  pruneHistory(before: number, batchSize: number): Promise<number> {
    return settle(() => this.#history.prune(before, batchSize));
  }

  /**
   * Folds the WAL back into the database: on the checkpoint thread when there is one, else here. The
   * thread's checkpoints never block writes, so under steady writes the WAL may never start over; once it
   * holds more than WAL_RESET_FRAMES, truncate it here (a stop of the event loop, but not a WAL without end).
   */
  checkpoint(): void {
    if (this.#checkpointer === undefined || (this.#checkpointer.last?.log ?? 0) > WAL_RESET_FRAMES) {
      this.#db.pragma('wal_checkpoint(TRUNCATE)');
    }
    void this.#checkpointer?.request();
  }

  /**
   * The periodic checkpoint's turn, as its timer takes it: a checkpoint when anything was written since the last
   * turn (or the last left frames behind), else undefined. Undefined without a checkpoint thread.
   */
  periodicCheckpoint(): Promise<CheckpointOutcome | undefined> | undefined {
    return this.#checkpointer?.tick();
  }

  /** A checkpoint on the checkpoint thread, awaited (undefined without one, or when it failed). */
  checkpointInBackground(): Promise<CheckpointOutcome | undefined> {
    return this.#checkpointer?.request() ?? Promise.resolve(undefined);
  }

  /** The underlying handle, for checks such as `PRAGMA integrity_check` in tests and tools. */
  get database(): Db {
    return this.#db;
  }

  close(): Promise<void> {
    return settle(() => {
      this.#checkpointer?.close();
      if (this.#db.open) this.#db.close();
    });
  }
}

/** Runs synchronous driver work now; what it returns or throws becomes the port's settled promise. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** Each plane's newest result of a batch (the later one of two stamped alike): the one that may become its latest. */
export function newestPerPlane(results: readonly StoredResult[]): StoredResult[] {
  const newest = new Map<string, StoredResult>();
  for (const result of results) {
    const kept = newest.get(result.plane);
    if (kept === undefined || kept.checkedAt <= result.checkedAt) newest.set(result.plane, result);
  }
  return [...newest.values()];
}

function toRow(result: StoredResult): Row {
  return {
    plane: result.plane,
    status: result.status,
    reason: result.reason,
    checked_at: result.checkedAt,
    duration_ms: result.durationMs,
    steps: JSON.stringify(result.steps),
    checked_by: result.checkedBy,
  };
}

function fromRow(row: Row): StoredResult {
  return {
    plane: row.plane,
    status: row.status,
    reason: row.reason,
    checkedAt: row.checked_at,
    durationMs: row.duration_ms,
    steps: parseSteps(row.steps),
    checkedBy: row.checked_by ?? '',
  };
}

/** A row's steps; a row whose steps do not parse keeps its status and loses only its steps. */
function parseSteps(json: string): StepReport[] {
  try {
    const steps: unknown = JSON.parse(json);
    return Array.isArray(steps) ? (steps as StepReport[]) : [];
  } catch {
    return [];
  }
}
