import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { InternalError } from '../check/check-plane.js';
import type { Checker } from '../check/checker.js';
import { CheckerSlot } from '../check/checker-slot.js';
import { toStoredResult } from '../check/stored-result.js';
import type { Logger } from '../log/logger.js';
import { getErrorMessage } from '../log/logger.js';
import type { PlanecheckMetrics } from '../metrics/metrics.js';
import type { PlaneRef } from '../platform/platform-api.js';
import type { StoredResult } from '../check/stored-result.js';
import type { PlaneState } from '../store/plane-state.js';
import type { ResultStore } from '../check/result-store.js';
import { ResultWriter } from '../store/result-writer.js';
import type { StatusBoard } from '../store/status-board.js';

/**
 * Which planes this daemon checks in a cycle, batch by batch: every plane in one batch for a daemon on its
 * own; a fleet replica's share, then what nobody else took (src/fleet/fleet-share-cycle.ts).
 */
export interface PlaneShare {
  batches(): AsyncIterable<readonly string[]>;
}

const everyPlane = (planes: () => readonly PlaneRef[]): PlaneShare => ({
  // eslint-disable-next-line @typescript-eslint/require-await -- an async generator, as the port asks
  async *batches() {
    yield planes().map((plane) => plane.name);
  },
});

export interface CheckCycleDeps {
  planes: readonly PlaneRef[];
  checker: Checker;
  store: ResultStore;
  board: StatusBoard;
  metrics: PlanecheckMetrics;
  log: Logger;
  historyRetentionMs: number;
  /** This daemon's instance name: every result it stores says it checked. */
  instance: string;
  /** Store upkeep after every CHECKPOINT_EVERY_CYCLES cycles (SQLite folds its WAL back). */
  checkpoint?: () => void;
  /** The planes to check each cycle; every plane when not given. */
  share?: PlaneShare;
  /** A write went through: the store answers. */
  onStored?: () => void;
  /** A write failed: its results are held and retried. */
  onStoreFailed?: (error: unknown) => void;
  /** Sees every stored result. */
  onResult?: (result: StoredResult) => void;
  /** Sees every plane's latest state once a cycle has finished (self-heal hooks in here). */
  onCycleFinished?: (states: readonly PlaneState[]) => void;
}

/** Each batch is one transaction (on SQLite, on the event loop); a batch of 100 touches ~100 pages. */
const PRUNE_BATCH = 100;
const CHECKPOINT_EVERY_CYCLES = 10;

/** One check cycle: check every plane, store and publish each result as it arrives, then tidy up. */
export class CheckCycle {
  readonly #deps: CheckCycleDeps;
  readonly #writer: ResultWriter;
  readonly #share: PlaneShare;
  /** The configured planes by name; replaced, never changed, by a reload (`setPlanes`). */
  #byName: ReadonlyMap<string, PlaneRef>;
  readonly #checkers: CheckerSlot;
  #cycles = 0;
  #tidying: Promise<void> | undefined;
  #lastFinishedAt: number | null = null;

  constructor(deps: CheckCycleDeps) {
    this.#deps = deps;
    this.#share = deps.share ?? everyPlane(() => [...this.#byName.values()]);
    this.#byName = new Map(deps.planes.map((plane) => [plane.name, plane]));
    this.#checkers = new CheckerSlot(deps.checker, (error) =>
      deps.log.warn('could not close the previous checker', { error: getErrorMessage(error) }),
    );
    this.#writer = new ResultWriter({
      store: deps.store,
      onError: (error, pending) => {
        deps.metrics.recordStorageError('write');
        deps.onStoreFailed?.(error);
        deps.log.error('could not store results; keeping them in memory and retrying', {
          pending,
          error: getErrorMessage(error),
        });
      },
      onDropped: (count) => deps.log.error('dropped the oldest unstored results', { count }),
      onStored: deps.onStored,
    });
  }

  /**
   * Writes results still waiting for the store; `force` (shutdown) skips the retry backoff and first
   * waits for pruning under way, so the store can be closed after. True when nothing is left unwritten.
   */
  async flush(force = false): Promise<boolean> {
    if (force) await this.#tidying;
    return this.#writer.flush(force ? Number.POSITIVE_INFINITY : undefined);
  }

  /**
   * Follows a reloaded config: the planes (with their settings) and, when given, a new checker. A cycle or
   * re-check under way finishes with what it started with; the old checker closes after it.
   */
  reconfigure(planes: readonly PlaneRef[], checker?: Checker): void {
    this.#byName = new Map(planes.map((plane) => [plane.name, plane]));
    if (checker) this.#checkers.replace(checker);
  }

  /** Closes the checker's connections (shutdown, once checking has stopped). */
  closeChecker(): Promise<void> {
    return this.#checkers.close();
  }

  get lastFinishedAt(): number | null {
    return this.#lastFinishedAt;
  }

  async run(signal: AbortSignal): Promise<void> {
    const { metrics, log } = this.#deps;
    const started = performance.now();
    const counts: Record<string, number> = {};
    let checked = 0;
    // The whole cycle runs with the planes and checker it started with, whatever a reload does meanwhile.
    const byName = this.#byName;
    await this.#checkers.use(async (checker) => {
      for await (const batch of this.#share.batches()) {
        if (signal.aborted) break;
        const planes = batch.flatMap((name) => byName.get(name) ?? []);
        checked += planes.length;
        await checker.check(planes, {
          signal,
          onInternalError: this.#reportInternalError,
          onResult: (result) => {
            // A check cut short by shutdown says nothing about the plane: keep the last real result.
            if (signal.aborted) return;
            const stored = toStoredResult(result, this.#deps.instance);
            counts[stored.status] = (counts[stored.status] ?? 0) + 1;
            this.publish(stored);
          },
        });
      }
    });
    // Not awaited: a slow store must not hold the cycle; the writer keeps what it has not written.
    void this.#writer.flush();
    if (signal.aborted) return;
    const durationMs = performance.now() - started;
    this.#cycles++;
    this.#lastFinishedAt = Date.now();
    metrics.recordCycle(durationMs);
    await metrics.refresh();
    log.info('cycle finished', {
      planes: checked,
      durationMs: Math.round(durationMs),
      statuses: counts,
    });
    this.#deps.onCycleFinished?.(this.#deps.board.states());
    // In the background, one at a time: a store that is slow to prune must not hold the next cycle.
    this.#tidying ??= this.#tidy(signal).finally(() => {
      this.#tidying = undefined;
    });
  }

  /**
   * Checks one plane right away (after a self-heal run) and publishes the result. A check cut short by
   * `signal` (shutdown) publishes nothing and gives undefined.
   */
  async checkNow(planeName: string, signal?: AbortSignal): Promise<StoredResult | undefined> {
    const plane = this.#byName.get(planeName);
    if (plane === undefined || signal?.aborted) return undefined;
    const [result] = await this.#checkers.use((checker) =>
      checker.check([plane], { signal, onInternalError: this.#reportInternalError }),
    );
    if (result === undefined || signal?.aborted) return undefined;
    const stored = toStoredResult(result, this.#deps.instance);
    this.publish(stored);
    // Self-heal reads the history next: written now, not with the next batch.
    void this.#writer.flush();
    await this.#deps.metrics.refresh();
    return stored;
  }

  /** Checks the named planes now, outside the cycle (a fleet's rescued planes), and publishes each result. */
  async checkPlanes(names: readonly string[], signal: AbortSignal): Promise<void> {
    const planes = names.flatMap((name) => this.#byName.get(name) ?? []);
    if (planes.length === 0 || signal.aborted) return;
    await this.#checkers.use((checker) =>
      checker.check(planes, {
        signal,
        onInternalError: this.#reportInternalError,
        onResult: (result) => {
          if (!signal.aborted) this.publish(toStoredResult(result, this.#deps.instance));
        },
      }),
    );
    void this.#writer.flush();
  }

  /** A step threw: a bug in planecheck. Logged with its stack (for us), counted (for alerts). */
  readonly #reportInternalError = ({ plane, step, error }: InternalError): void => {
    this.#deps.metrics.recordInternalError(step);
    this.#deps.log.error('internal error in a check step', {
      plane,
      step,
      error: getErrorMessage(error),
      stack: error instanceof Error ? error.stack : undefined,
    });
  };

  /**
   * Stores one result, updates what readers see, and logs a status change. A plane a reload removed while
   * its check ran is stored (it was checked) but no longer shown.
   */
  publish(result: StoredResult): void {
    const { board, metrics, log, onResult } = this.#deps;
    this.#writer.write(result);
    if (!this.#byName.has(result.plane)) return;
    const change = board.update(result);
    metrics.recordResult(result);
    if (change) log.info('status changed', { ...change });
    onResult?.(result);
  }

  /** Prunes old history in small batches between other work, and checkpoints the WAL now and then. */
  async #tidy(signal: AbortSignal): Promise<void> {
    const { store, metrics, log, historyRetentionMs, checkpoint } = this.#deps;
    const cutoff = Date.now() - historyRetentionMs;
    try {
      let removed = 0;
      while (!signal.aborted) {
        const batch = await store.pruneHistory(cutoff, PRUNE_BATCH);
        removed += batch;
        if (batch < PRUNE_BATCH) break;
        await yieldToLoop();
      }
      if (removed > 0) log.debug('pruned check history', { removed });
      if (this.#cycles % CHECKPOINT_EVERY_CYCLES === 0) checkpoint?.();
    } catch (error) {
      metrics.recordStorageError('prune');
      log.error('could not prune check history', { error: getErrorMessage(error) });
    }
  }
}
