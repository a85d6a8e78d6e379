import type { StoredResult } from './stored-result.js';

/**
 * Where check results live: the port the daemon writes to and reads from. Two adapters implement it, SQLite
 * (src/store/sqlite-store.ts, one daemon) and PostgreSQL (src/store/postgres/pg-store.ts, a fleet); one
 * contract test suite (test/store-contract.int.test.ts) runs the same cases against both.
 *
 * Every method may reject (a busy file, a server that does not answer, a query past its timeout); callers
 * keep what they could not write and try again, and never wait on the store to answer a scrape.
 */
export interface ResultStore {
  /**
   * Stores results in order, all in one transaction: each is appended to the history, and becomes its
   * plane's latest unless the latest stored is newer (a late write never moves a plane backwards).
   */
  saveResults(results: readonly StoredResult[]): Promise<void>;
  /** The latest result of every plane that has one. */
  latestResults(): Promise<StoredResult[]>;
  /** Newest first, at most `limit`, optionally only those checked at or after `since`. */
  history(plane: string, limit: number, since?: number): Promise<StoredResult[]>;
  /**
   * Per plane (every plane, or only `planes`): HEALTHY results and all results checked at or after
   * `since`. Cheap: from per-hour counts kept with the history, not a scan of it.
   */
  availability(
    since: number,
    planes?: readonly string[],
  ): Promise<Map<string, { healthy: number; total: number }>>;
  /** Deletes at most `batchSize` history results older than `before` (and their counts); returns how many went. */
  pruneHistory(before: number, batchSize: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * A store that several replicas write: each keeps its board current by asking for what changed. `cursor` is
 * opaque (null the first time); a change may be returned more than once, never missed.
 */
export interface ResultFeed {
  latestChangedSince(cursor: string | null): Promise<{ results: StoredResult[]; cursor: string }>;
}
