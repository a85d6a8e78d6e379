import type { PlaneStatus } from '../check/result.js';
import type { StepReport } from '../check/report.js';

/** A check result as stored: classified, with its steps. */
export interface StoredResult {
  plane: string;
  status: Exclude<PlaneStatus, 'NO_VALUE'>;
  reason: string | null;
  /** Epoch milliseconds. */
  checkedAt: number;
  durationMs: number;
  steps: StepReport[];
}

/** What a plane reads as right now: its stored result while fresh, NO_VALUE once it is older than the TTL. */
export interface PlaneState {
  plane: string;
  status: PlaneStatus;
  reason: string | null;
  checkedAt: number | null;
  expiresAt: number | null;
  durationMs: number | null;
  steps: StepReport[];
  /** The last real status when the plane reads NO_VALUE because its result expired. */
  lastStatus: Exclude<PlaneStatus, 'NO_VALUE'> | null;
}

export function isFresh(result: StoredResult, now: number, cacheTtlMs: number): boolean {
  return now - result.checkedAt < cacheTtlMs;
}

/** Pure: a plane's status at `now`. NO_VALUE is computed at read time, never stored. */
export function planeState(
  plane: string,
  result: StoredResult | undefined,
  now: number,
  cacheTtlMs: number,
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
      lastStatus: null,
    };
  }
  const expiresAt = result.checkedAt + cacheTtlMs;
  const fresh = isFresh(result, now, cacheTtlMs);
  return {
    plane,
    status: fresh ? result.status : 'NO_VALUE',
    reason: fresh ? result.reason : 'result_expired',
    checkedAt: result.checkedAt,
    expiresAt,
    durationMs: result.durationMs,
    steps: result.steps,
    lastStatus: result.status,
  };
}
