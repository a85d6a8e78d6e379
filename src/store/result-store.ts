import type { StoredResult } from '../check/stored-result.js';

/** Where check results live. The engine never needs one; the daemon gives it the SQLite store. */
export interface ResultStore {
  /** Replaces the plane's latest result and appends it to the history, atomically. */
  saveResult(result: StoredResult): void;
  /** Saves results in order, all in one transaction. */
  saveResults(results: readonly StoredResult[]): void;
  latestResults(): StoredResult[];
  /** Newest first, at most `limit`, optionally only those checked at or after `since`. */
  history(plane: string, limit: number, since?: number): StoredResult[];
  /**
   * Per plane (every plane, or only `planes`): HEALTHY results and all results checked at or after
   * `since`. Cheap: from per-hour counts kept with the history, not a scan of it.
   */
  availability(since: number, planes?: readonly string[]): Map<string, { healthy: number; total: number }>;
  /** Deletes at most `batchSize` history results older than `before` (and their counts); returns how many went. */
  pruneHistory(before: number, batchSize: number): number;
  /** Folds the write-ahead log back into the database so it stays small. */
  checkpoint(): void;
  close(): void;
}
