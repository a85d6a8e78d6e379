import type { StoredResult } from '../check/stored-result.js';
import type { PlaneStatus } from '../check/result.js';
import type { StepReport } from '../check/report.js';

/** What a plane reads as right now: its stored result while fresh, NO_VALUE once it is older than the TTL. */
export interface PlaneState {
  plane: string;
  status: PlaneStatus;
  reason: string | null;
  checkedAt: number | null;
  /** When the result turns NO_VALUE, on the current wall clock; null with no result or an unknown age. */
  expiresAt: number | null;
  durationMs: number | null;
  steps: StepReport[];
  /** The instance that checked; null with no result, or one stored before instances were recorded (''). */
  checkedBy: string | null;
  /** The last real status when the plane reads NO_VALUE because its result expired. */
  lastStatus: Exclude<PlaneStatus, 'NO_VALUE'> | null;
}

/**
 * Pure: the age of a result read back from the store, which only carries its wall-clock stamp. A
 * stamp in the future means the clock was stepped back since: its age is unknown, so it counts as
 * expired rather than fresh for however long the step was.
 */
export function storedResultAge(checkedAt: number, wallNow: number): number {
  const age = wallNow - checkedAt;
  return age < 0 ? Number.POSITIVE_INFINITY : age;
}

export function isFresh(ageMs: number, cacheTtlMs: number): boolean {
  return ageMs < cacheTtlMs;
}

/**
 * Pure: a plane's status given its latest result and that result's age. NO_VALUE is computed at read
 * time, never stored. `ageMs` is measured on the monotonic clock where possible (see StatusBoard), so a
 * wall-clock step neither keeps a result fresh nor expires it early; `expiresAt` is put on today's
 * wall clock from that age.
 */
export function planeState(
  plane: string,
  result: StoredResult | undefined,
  ageMs: number,
  cacheTtlMs: number,
  wallNow: number,
): PlaneState {
  if (result === undefined) {
    return {
      plane,
      status: 'NO_VALUE',
      reason: 'no_result',
      checkedAt: null,
      expiresAt: null,
      durationMs: null,
      steps: [],
      checkedBy: null,
      lastStatus: null,
    };
  }
  const fresh = isFresh(ageMs, cacheTtlMs);
  return {
    plane,
    status: fresh ? result.status : 'NO_VALUE',
    reason: fresh ? result.reason : 'result_expired',
    checkedAt: result.checkedAt,
    expiresAt: Number.isFinite(ageMs) ? Math.round(wallNow - ageMs + cacheTtlMs) : null,
    durationMs: result.durationMs,
    steps: result.steps,
    checkedBy: result.checkedBy === '' ? null : result.checkedBy,
    lastStatus: result.status,
  };
}
