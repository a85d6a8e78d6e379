import type { StoredResult } from '../store/plane-state.js';
import { toPlaneReport, type PlaneReport } from './report.js';
import type { PlaneCheckResult } from './result.js';

/** A classified result, as stored and shown. */
export function toStoredResult(result: PlaneCheckResult): StoredResult {
  const report = toPlaneReport(result);
  if (report.status === 'NO_VALUE') throw new Error('a check result is never NO_VALUE');
  return {
    plane: result.plane,
    status: report.status,
    reason: report.reason,
    checkedAt: result.checkedAt,
    durationMs: result.durationMs,
    steps: report.steps,
  };
}

/** A stored result as a report again (the Action's outputs). */
export function storedToReport(result: StoredResult): PlaneReport {
  return {
    name: result.plane,
    status: result.status,
    reason: result.reason,
    checkedAt: new Date(result.checkedAt).toISOString(),
    durationMs: result.durationMs,
    steps: result.steps,
  };
}
