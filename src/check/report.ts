import { classify, failureReason } from './classify.js';
import type { PlaneCheckResult, PlaneStatus, StepName } from './result.js';

export interface StepReport {
  step: StepName;
  outcome: 'ok' | 'not_found' | 'failed';
  durationMs: number;
  reason?: string;
  detail?: string;
}

/** One plane as the CLI's --json, the Action's outputs and the status API show it. */
export interface PlaneReport {
  name: string;
  status: PlaneStatus;
  reason: string | null;
  checkedAt: string;
  durationMs: number;
  steps: StepReport[];
}

export function toPlaneReport(result: PlaneCheckResult): PlaneReport {
  const { status, reason } = classify(result);
  return {
    name: result.plane,
    status,
    reason,
    checkedAt: new Date(result.checkedAt).toISOString(),
    durationMs: result.durationMs,
    steps: result.steps.map((step) => ({
      step: step.step,
      outcome: step.outcome,
      durationMs: step.durationMs,
      ...(step.outcome === 'failed' ? { reason: failureReason(step) } : {}),
      ...(step.failure ? { detail: step.failure.detail } : {}),
    })),
  };
}
