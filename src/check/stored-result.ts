import { toPlaneReport, type PlaneReport } from './report.js';
import type { PlaneCheckResult, PlaneStatus } from './result.js';
import type { StepReport } from './report.js';

/** A check result as stored: classified, with its steps and the replica that checked it. */
export interface StoredResult {
  plane: string;
  status: Exclude<PlaneStatus, 'NO_VALUE'>;
  reason: string | null;
  /** Epoch milliseconds. */
  checkedAt: number;
  durationMs: number;
  steps: StepReport[];
  /** The instance name of the daemon (or `action:RUN_ID`) that ran the check. */
  checkedBy: string;
}

/** A classified result, as stored and shown. */
export function toStoredResult(result: PlaneCheckResult, checkedBy: string): StoredResult {
  const report = toPlaneReport(result);
  if (report.status === 'NO_VALUE') throw new Error('a check result is never NO_VALUE');
  return {
    plane: result.plane,
    status: report.status,
    reason: report.reason,
    checkedAt: result.checkedAt,
    durationMs: result.durationMs,
    steps: report.steps,
    checkedBy,
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
