import type { ClockReading } from '../util/clock.js';

/**
 * How far the wall clock may drift from the monotonic clock between two readings before it counts as
 * a step. NTP slews at most 0.5 ms per second, so anything near a second between readings a second
 * apart is a step, not drift.
 */
export const CLOCK_STEP_TOLERANCE_MS = 1_000;

/**
 * Pure: by how much the wall clock was stepped between two readings (positive: forward), or undefined
 * when wall and monotonic elapsed time agree within `toleranceMs`. A busy event loop delays the
 * readings but moves both clocks alike, so it is never taken for a step.
 */
export function clockStep(
  before: ClockReading,
  after: ClockReading,
  toleranceMs = CLOCK_STEP_TOLERANCE_MS,
): number | undefined {
  const stepMs = after.wall - before.wall - (after.mono - before.mono);
  return Math.abs(stepMs) > toleranceMs ? Math.round(stepMs) : undefined;
}
