import { randomBytes } from 'node:crypto';

/**
 * Each dispatch carries a correlation id as the workflow input `correlation_id`. The workflow's
 * `run-name` must show it and the plane, like `Production smoke test plane=us-east-1 [pc-...]`, because
 * the run title is the only place GitHub lets us find a dispatched run again.
 */
export function newCorrelationId(now: number): string {
  return `pc-${now.toString(36)}-${randomBytes(4).toString('hex')}`;
}

export function titleHasCorrelation(title: string, correlationId: string): boolean {
  return title.includes(`[${correlationId}]`);
}

export function titleNamesPlane(title: string, plane: string): boolean {
  const escaped = plane.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|\\s)plane=${escaped}(\\s|$)`).test(title);
}
