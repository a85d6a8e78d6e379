import type { ResultFeed } from '../check/result-store.js';
import type { StoredResult } from '../check/stored-result.js';
import { withTimeout } from '../util/with-timeout.js';

/** Pure: how long to wait before the next poll after `failures` polls in a row failed (0: none failed). */
export function nextPollDelay(failures: number, pollMs: number, maxBackoffMs: number): number {
  if (failures <= 0) return pollMs;
  return Math.min(maxBackoffMs, pollMs * 2 ** Math.min(failures, 20));
}

export interface SharedResultsSyncOptions {
  feed: ResultFeed;
  /** Results other replicas (or this one) stored since the last poll; may repeat ones seen before. */
  onResults: (results: readonly StoredResult[]) => void;
  /** A poll that succeeded after one or more failed. */
  onRecovered?: () => void;
  onError: (error: unknown, failures: number) => void;
  pollMs?: number;
  maxBackoffMs?: number;
  /** The longest a poll may take before it counts as failed (the store's own timeouts are longer). */
  timeoutMs?: number;
}

/**
 * Keeps a replica's view of every plane current in a fleet: polls the shared store for what changed, every
 * `pollMs` (2 s), backing off up to `maxBackoffMs` while the store does not answer. Scrapes and the page never
 * query the store; they read the board this feeds.
 */
export class SharedResultsSync {
  readonly #options: Required<SharedResultsSyncOptions>;
  #cursor: string | null = null;
  #failures = 0;
  #timer: NodeJS.Timeout | undefined;
  /** The last poll started: each new one runs after it. */
  #polling: Promise<void> = Promise.resolve();
  #stopped = true;

  constructor(options: SharedResultsSyncOptions) {
    this.#options = {
      pollMs: 2_000,
      maxBackoffMs: 30_000,
      timeoutMs: 5_000,
      onRecovered: () => undefined,
      ...options,
    };
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(this.#options.pollMs);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#polling;
  }

  /** Polls once now (one poll at a time: a call while one runs waits for it). True when the poll succeeded. */
  async pollNow(): Promise<boolean> {
    const poll = this.#polling.then(() => this.#poll());
    this.#polling = poll;
    await poll;
    return this.#failures === 0;
  }

  async #poll(): Promise<void> {
    const { feed, onResults, onError, onRecovered } = this.#options;
    try {
      const { results, cursor } = await withTimeout(
        feed.latestChangedSince(this.#cursor),
        this.#options.timeoutMs,
        'reading what other replicas stored',
      );
      this.#cursor = cursor;
      const recovered = this.#failures > 0;
      this.#failures = 0;
      if (recovered) onRecovered();
      if (results.length > 0) onResults(results);
    } catch (error) {
      this.#failures++;
      onError(error, this.#failures);
    }
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.pollNow().then(() =>
        this.#schedule(nextPollDelay(this.#failures, this.#options.pollMs, this.#options.maxBackoffMs)),
      );
    }, delayMs);
  }
}
