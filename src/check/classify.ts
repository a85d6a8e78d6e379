import type { Classification, PlaneCheckResult, StepResult } from './result.js';

/**
 * The status of one check. NO_USER and NO_ORACLE need a definitive "not found"; a lookup that failed
 * proves nothing and is FAILED, so a flaky control plane can never look like a missing user.
 */
export function classify(result: PlaneCheckResult): Classification {
  const byStep = new Map(result.steps.map((step) => [step.step, step]));
  const user = byStep.get('user_lookup');
  if (!user) return { status: 'FAILED', reason: 'user_lookup_missing' };
  if (user.outcome === 'failed') return failed(user);
  if (user.outcome === 'not_found') return { status: 'NO_USER', reason: 'user_not_found' };

  const oracle = byStep.get('oracle_lookup');
  if (!oracle) return { status: 'FAILED', reason: 'oracle_lookup_missing' };
  if (oracle.outcome === 'failed') return failed(oracle);
  if (oracle.outcome === 'not_found') return { status: 'NO_ORACLE', reason: 'oracle_not_found' };

  for (const name of ['predict', 'async_predict'] as const) {
    const step = byStep.get(name);
    if (!step) return { status: 'FAILED', reason: `${name}_missing` };
    if (step.outcome !== 'ok') return failed(step);
  }
  return { status: 'HEALTHY', reason: null };
}

/** e.g. `predict_http_500`, `user_lookup_timeout`, `async_predict_failed`. */
export function failureReason(step: StepResult): string {
  const failure = step.failure;
  if (!failure) return `${step.step}_${step.outcome}`;
  const kind = failure.kind === 'http_status' ? `http_${failure.httpStatus ?? 'error'}` : failure.kind;
  return `${step.step}_${kind}`;
}

function failed(step: StepResult): Classification {
  return { status: 'FAILED', reason: failureReason(step) };
}
