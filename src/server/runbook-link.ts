import type { PlaneStatus } from '../check/result.js';
import { RUNBOOK } from './runbook.generated.js';

/** Where the full runbook is published. */
export const RUNBOOK_URL = 'https://github.com/planecheck/planecheck/blob/main/docs/runbook.md';

/**
 * The link to a status's section of docs/runbook.md (the status page and the Action's summary both use it);
 * undefined for HEALTHY, which has no section.
 */
export function runbookSectionUrl(status: PlaneStatus): string | undefined {
  const section = RUNBOOK[status as keyof typeof RUNBOOK] as
    (typeof RUNBOOK)[keyof typeof RUNBOOK] | undefined;
  return section ? `${RUNBOOK_URL}#${section.anchor}` : undefined;
}
