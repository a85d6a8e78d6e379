import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { ResultStore } from '../check/result-store.js';

export interface Availability {
  /** Share of HEALTHY results over the last hour, null without results. */
  h1: number | null;
  h24: number | null;
}

export interface AvailabilityCacheOptions {
  /** How long computed figures are served before they are recomputed. */
  maxAgeMs?: number;
  /** Planes computed per turn of the event loop, so that many planes never hold it long. */
  chunkSize?: number;
  /** A failed recomputation; the previous figures stay and it is tried again after `maxAgeMs`. */
  onError?: (error: unknown) => void;
}

/**
 * Availability over 1 h and 24 h per plane. Readers get the figures last computed at once; figures older
 * than `maxAgeMs` are recomputed in the background, `chunkSize` planes at a time with the event loop free
 * in between, and replace the old ones all together when done.
 */
export class AvailabilityCache {
  readonly #store: Pick<ResultStore, 'availability'>;
  #planes: readonly string[];
  readonly #maxAgeMs: number;
  readonly #chunkSize: number;
  readonly #onError: (error: unknown) => void;
  #byPlane = new Map<string, Availability>();
  #computedAt: number | undefined;
  #refreshing: Promise<void> | undefined;

  constructor(
    store: Pick<ResultStore, 'availability'>,
    planes: readonly string[],
    options: AvailabilityCacheOptions = {},
  ) {
    this.#store = store;
    this.#planes = planes;
    this.#maxAgeMs = options.maxAgeMs ?? 30_000;
    this.#chunkSize = options.chunkSize ?? 50;
    this.#onError = options.onError ?? (() => undefined);
  }

  /** Follows a reloaded config: the next read recomputes, so a plane added gets its figures. */
  setPlanes(planes: readonly string[]): void {
    this.#planes = planes;
    this.#computedAt = undefined;
  }

  /** The plane's figures as last computed (nulls until the first computation ends). */
  get(plane: string, now = Date.now()): Availability {
    if (this.#computedAt === undefined || now - this.#computedAt >= this.#maxAgeMs) void this.refresh(now);
    return this.#byPlane.get(plane) ?? { h1: null, h24: null };
  }

  /** Recomputes every plane's figures as of `now`; joins a recomputation already under way. Never rejects. */
  refresh(now = Date.now()): Promise<void> {
    this.#refreshing ??= this.#compute(now).finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #compute(now: number): Promise<void> {
    try {
      const byPlane = new Map<string, Availability>();
      for (let start = 0; start < this.#planes.length; start += this.#chunkSize) {
        if (start > 0) await yieldToLoop();
        const planes = this.#planes.slice(start, start + this.#chunkSize);
        const [hour, day] = await Promise.all([
          this.#store.availability(now - 3_600_000, planes),
          this.#store.availability(now - 86_400_000, planes),
        ]);
        for (const plane of planes)
          byPlane.set(plane, { h1: ratio(hour.get(plane)), h24: ratio(day.get(plane)) });
      }
      this.#byPlane = byPlane;
    } catch (error) {
      this.#onError(error);
    }
    this.#computedAt = now;
  }
}

function ratio(counts: { healthy: number; total: number } | undefined): number | null {
  return counts && counts.total > 0 ? counts.healthy / counts.total : null;
}
