import type { PlaneStatus } from '../check/result.js';
import { planeState, type PlaneState, type StoredResult } from './plane-state.js';

/** A result in a plane's recent strip. */
export interface RecentResult {
  checkedAt: number;
  status: StoredResult['status'];
  reason: string | null;
}

/** How many results per plane the status page's history strip shows. */
export const RECENT_RESULTS = 30;

export interface StatusChange {
  plane: string;
  from: PlaneStatus;
  to: PlaneStatus;
  reason: string | null;
}

/**
 * The latest result of every configured plane, in memory: what /metrics, the status API and the page
 * read, so that none of them touches the database or waits for a cycle.
 */
export class StatusBoard {
  readonly #planes: readonly string[];
  readonly #cacheTtlMs: number;
  readonly #latest = new Map<string, StoredResult>();
  readonly #recent = new Map<string, RecentResult[]>();
  #version = 0;

  /** `initial`: the stored latest results; `recent`: a plane's stored history, newest first, for the strip. */
  constructor(
    planes: readonly string[],
    cacheTtlMs: number,
    initial: readonly StoredResult[] = [],
    recent: (plane: string) => readonly StoredResult[] = () => [],
  ) {
    this.#planes = planes;
    this.#cacheTtlMs = cacheTtlMs;
    for (const result of initial) if (planes.includes(result.plane)) this.#latest.set(result.plane, result);
    for (const plane of planes) {
      this.#recent.set(
        plane,
        recent(plane)
          .slice(0, RECENT_RESULTS)
          .reverse()
          .map(({ checkedAt, status, reason }) => ({ checkedAt, status, reason })),
      );
    }
  }

  /** The plane's last results, oldest first. */
  recent(plane: string): readonly RecentResult[] {
    return this.#recent.get(plane) ?? [];
  }

  get planes(): readonly string[] {
    return this.#planes;
  }

  get cacheTtlMs(): number {
    return this.#cacheTtlMs;
  }

  /** Changes with every update, so readers can tell whether what they rendered is still current. */
  get version(): number {
    return this.#version;
  }

  /** When the next fresh result turns NO_VALUE, or undefined when none is fresh. */
  nextExpiry(now = Date.now()): number | undefined {
    let next: number | undefined;
    for (const result of this.#latest.values()) {
      const expiresAt = result.checkedAt + this.#cacheTtlMs;
      if (expiresAt > now && (next === undefined || expiresAt < next)) next = expiresAt;
    }
    return next;
  }

  /** Records a new result and says whether the plane's visible status changed. */
  update(result: StoredResult, now = Date.now()): StatusChange | undefined {
    const before = this.state(result.plane, now).status;
    this.#latest.set(result.plane, result);
    this.#version++;
    const strip = this.#recent.get(result.plane);
    if (strip) {
      strip.push({ checkedAt: result.checkedAt, status: result.status, reason: result.reason });
      if (strip.length > RECENT_RESULTS) strip.shift();
    }
    const after = this.state(result.plane, now);
    return before === after.status
      ? undefined
      : { plane: result.plane, from: before, to: after.status, reason: after.reason };
  }

  state(plane: string, now = Date.now()): PlaneState {
    return planeState(plane, this.#latest.get(plane), now, this.#cacheTtlMs);
  }

  states(now = Date.now()): PlaneState[] {
    return this.#planes.map((plane) => this.state(plane, now));
  }
}
