import type { ResultStore } from './result-store.js';

export interface Availability {
  /** Share of HEALTHY results over the last hour, null without results. */
  h1: number | null;
  h24: number | null;
}

/**
 * Availability over 1 h and 24 h per plane, from the check history. Computed when read and kept for
 * `maxAgeMs`, so a page polling every few seconds does not scan a day of history each time.
 */
export class AvailabilityCache {
  readonly #store: Pick<ResultStore, 'availability'>;
  readonly #maxAgeMs: number;
  #computed: { at: number; byPlane: Map<string, Availability> } | undefined;

  constructor(store: Pick<ResultStore, 'availability'>, maxAgeMs = 30_000) {
    this.#store = store;
    this.#maxAgeMs = maxAgeMs;
  }

  get(plane: string, now = Date.now()): Availability {
    if (this.#computed === undefined || now - this.#computed.at >= this.#maxAgeMs) {
      const hour = this.#store.availability(now - 3_600_000);
      const day = this.#store.availability(now - 86_400_000);
      const byPlane = new Map<string, Availability>();
      for (const name of new Set([...hour.keys(), ...day.keys()])) {
        byPlane.set(name, { h1: ratio(hour.get(name)), h24: ratio(day.get(name)) });
      }
      this.#computed = { at: now, byPlane };
    }
    return this.#computed.byPlane.get(plane) ?? { h1: null, h24: null };
  }
}

function ratio(counts: { healthy: number; total: number } | undefined): number | null {
  return counts && counts.total > 0 ? counts.healthy / counts.total : null;
}
