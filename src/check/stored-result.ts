import type { StoredResult } from '../store/plane-state.js';
import { toPlaneReport } from './report.js';
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
