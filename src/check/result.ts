import type { Failure, FailureKind } from '../platform/http.js';

export const PLANE_STATUSES = ['HEALTHY', 'NO_USER', 'NO_ORACLE', 'FAILED', 'NO_VALUE'] as const;
export type PlaneStatus = (typeof PLANE_STATUSES)[number];

export const STEP_NAMES = ['user_lookup', 'oracle_lookup', 'predict', 'async_predict'] as const;
export type StepName = (typeof STEP_NAMES)[number];

/**
 * `failed` is the platform's own verdict (an async request that ended FAILED/EXPIRED/...);
 * `internal_error` is a bug in planecheck (a step threw), which says nothing about the platform.
 */
export type StepFailureKind = FailureKind | 'failed' | 'internal_error';

export interface StepFailure extends Omit<Failure, 'kind'> {
  kind: StepFailureKind;
}

export interface StepResult {
  step: StepName;
  outcome: 'ok' | 'not_found' | 'failed';
  durationMs: number;
  failure?: StepFailure;
}

/** What one check of one plane observed: plain data, classified separately by `classify`. */
export interface PlaneCheckResult {
  plane: string;
  /** Epoch milliseconds. */
  startedAt: number;
  checkedAt: number;
  durationMs: number;
  steps: StepResult[];
}

export interface Classification {
  status: Exclude<PlaneStatus, 'NO_VALUE'>;
  /** Machine-readable, from a fixed vocabulary; null when HEALTHY. */
  reason: string | null;
}
