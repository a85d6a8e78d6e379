import { systemClock, type Clock } from '../util/clock.js';
import type { StoredResult } from '../check/stored-result.js';
import type { ResultStore } from './result-store.js';

/**
 * Writes results without ever waiting long on the database. A write that fails (another process holds
 * the lock, the disk is full) keeps the results in memory, in order, and the next write after `backoffMs`
 * retries them all in one transaction; so nothing is lost while the database is busy, and scrapes and
 * cycles never stall on it. Past `maxPending` the oldest results are dropped, and `onDropped` says so.
 * The backoff runs on the monotonic clock: a wall clock stepped back an hour must not hold writes an hour.
 */
export class ResultWriter {
  readonly #store: Pick<ResultStore, 'saveResults'>;
  readonly #onError: (error: unknown, pending: number) => void;
  readonly #onDropped: (count: number) => void;
  readonly #maxPending: number;
  readonly #backoffMs: number;
  readonly #clock: Clock;
  #pending: StoredResult[] = [];
  #retryAt = 0;

  constructor(options: {
    store: Pick<ResultStore, 'saveResults'>;
    onError: (error: unknown, pending: number) => void;
    onDropped?: (count: number) => void;
    maxPending?: number;
    backoffMs?: number;
    clock?: Clock;
  }) {
    this.#store = options.store;
    this.#onError = options.onError;
    this.#onDropped = options.onDropped ?? (() => undefined);
    this.#maxPending = options.maxPending ?? 50_000;
    this.#backoffMs = options.backoffMs ?? 1_000;
    this.#clock = options.clock ?? systemClock;
  }

  get pending(): number {
    return this.#pending.length;
  }

  /** `now`: monotonic milliseconds (the clock's `monoNow()` unless given). */
  write(result: StoredResult, now = this.#clock.monoNow()): void {
    this.#pending.push(result);
    if (this.#pending.length > this.#maxPending) {
      const dropped = this.#pending.length - this.#maxPending;
      this.#pending.splice(0, dropped);
      this.#onDropped(dropped);
    }
    this.flush(now);
  }

  /** Writes what is pending unless still backing off; true when nothing is left pending. */
  flush(now = this.#clock.monoNow()): boolean {
    if (this.#pending.length === 0) return true;
    if (now < this.#retryAt) return false;
    try {
      this.#store.saveResults(this.#pending);
      this.#pending = [];
      return true;
    } catch (error) {
      this.#retryAt = now + this.#backoffMs;
      this.#onError(error, this.#pending.length);
      return false;
    }
  }
}
