import { systemClock, type Clock } from '../util/clock.js';
import type { StoredResult } from '../check/stored-result.js';
import type { ResultStore } from '../check/result-store.js';

/** Results written in one call at most. */
export const WRITE_BATCH = 1_000;

/** How long a result waits for others to share its write (one transaction for all that finished meanwhile). */
export const BATCH_MS = 100;

/**
 * Writes results without anyone ever waiting on the store. Results are gathered for `batchMs` (100 ms)
 * and written together, one transaction per batch instead of one per result: a crash loses at most the
 * results of the last `batchMs`, which `flush()` writes at once (end of a cycle, shutdown). One write is in
 * flight at a time; results arriving meanwhile queue and go in the next write, started as soon as this one
 * succeeds. A write that
 * fails (another process holds the lock, the disk is full, the server is gone) puts its results back in
 * front of the queue, in order, and the first write or flush after `backoffMs` retries them all, in
 * batches of `WRITE_BATCH`; so nothing is lost while the store is away. Past `maxPending` the oldest results are dropped,
 * and `onDropped` says so. The backoff runs on the monotonic clock: a wall clock stepped back an hour
 * must not hold writes an hour.
 */
export class ResultWriter {
  readonly #store: Pick<ResultStore, 'saveResults'>;
  readonly #onError: (error: unknown, pending: number) => void;
  readonly #onDropped: (count: number) => void;
  readonly #onStored: () => void;
  readonly #maxPending: number;
  readonly #backoffMs: number;
  readonly #clock: Clock;
  readonly #batchMs: number;
  /** Set while results wait for the batch's write. */
  #batchTimer: NodeJS.Timeout | undefined;
  /** Waiting for the next write, oldest first. */
  #queued: StoredResult[] = [];
  /** In the write now in flight. */
  #writing: readonly StoredResult[] = [];
  #draining: Promise<boolean> | undefined;
  #retryAt = Number.NEGATIVE_INFINITY;

  constructor(options: {
    store: Pick<ResultStore, 'saveResults'>;
    onError: (error: unknown, pending: number) => void;
    onDropped?: (count: number) => void;
    /** A write went through (the store answers again, if it did not before). */
    onStored?: () => void;
    maxPending?: number;
    backoffMs?: number;
    /** How long a result waits for others to share its write; 0 writes each at once. */
    batchMs?: number;
    clock?: Clock;
  }) {
    this.#store = options.store;
    this.#onError = options.onError;
    this.#onDropped = options.onDropped ?? (() => undefined);
    this.#onStored = options.onStored ?? (() => undefined);
    this.#maxPending = options.maxPending ?? 50_000;
    this.#backoffMs = options.backoffMs ?? 1_000;
    this.#clock = options.clock ?? systemClock;
    this.#batchMs = options.batchMs ?? BATCH_MS;
  }

  /** Results not yet stored: queued and in flight. */
  get pending(): number {
    return this.#queued.length + this.#writing.length;
  }

  /**
   * Queues a result; its batch is written `batchMs` after the first result in it arrived (at once with
   * `batchMs` 0), or when the write in flight ends. `now`: monotonic ms (the clock's unless given).
   */
  write(result: StoredResult, now = this.#clock.monoNow()): void {
    this.#queued.push(result);
    this.#dropPastBound();
    if (this.#draining !== undefined || this.#batchTimer !== undefined) return;
    if (this.#batchMs <= 0) {
      void this.flush(now);
      return;
    }
    this.#batchTimer = setTimeout(() => {
      this.#batchTimer = undefined;
      void this.flush();
    }, this.#batchMs);
  }

  /**
   * Writes what is queued now, not waiting for the batch, unless still backing off (a write in flight is
   * waited for first); true once nothing is left pending. Never rejects: a failure is reported to `onError`.
   */
  async flush(now = this.#clock.monoNow()): Promise<boolean> {
    clearTimeout(this.#batchTimer);
    this.#batchTimer = undefined;
    while (this.#draining !== undefined) await this.#draining;
    if (this.#queued.length === 0) return true;
    if (now < this.#retryAt) return false;
    this.#draining = this.#drain(now);
    return this.#draining;
  }

  /**
   * Writes batch after batch until the queue is empty or a write fails. It always awaits a write before
   * it ends, so `#draining` is set before it is cleared, and cleared in the same turn as the queue was
   * last seen empty: a result queued after that starts a write of its own.
   */
  async #drain(now: number): Promise<boolean> {
    try {
      do {
        // A bounded batch: a backlog held through an outage must not become one statement past the store's timeout.
        this.#writing = this.#queued.splice(0, WRITE_BATCH);
        try {
          await this.#store.saveResults(this.#writing);
        } catch (error) {
          this.#queued = [...this.#writing, ...this.#queued];
          this.#writing = [];
          this.#dropPastBound();
          // A forced flush (now = Infinity) still backs off from the real now.
          this.#retryAt = (Number.isFinite(now) ? now : this.#clock.monoNow()) + this.#backoffMs;
          this.#onError(error, this.pending);
          return false;
        }
        this.#writing = [];
        this.#onStored();
      } while (this.#queued.length > 0);
      return true;
    } finally {
      this.#draining = undefined;
    }
  }

  /** Drops the oldest queued results past the bound (never those in flight: the store has them). */
  #dropPastBound(): void {
    const over = this.pending - this.#maxPending;
    if (over <= 0) return;
    const dropped = Math.min(over, this.#queued.length);
    this.#queued.splice(0, dropped);
    if (dropped > 0) this.#onDropped(dropped);
  }
}
