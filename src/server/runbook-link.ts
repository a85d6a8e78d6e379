import type { PlaneStatus } from '../check/result.js';
import { RUNBOOK } from './runbook.generated.js';

/**
 * The link to a status's section of the runbook published at `runbookUrl` (`server.runbookUrl`; the status
 * page and the Action's summary both use it); undefined for HEALTHY, which has no section.
 */
export function runbookSectionUrl(status: PlaneStatus, runbookUrl: string): string | undefined {
  const section = RUNBOOK[status as keyof typeof RUNBOOK] as
    (typeof RUNBOOK)[keyof typeof RUNBOOK] | undefined;
  return section ? `${runbookUrl}#${section.anchor}` : undefined;
}
