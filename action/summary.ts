import { STATUS_GUIDE } from '../src/check/status-guide.js';
import type { PlaneReport } from '../src/check/report.js';
import { runbookSectionUrl } from '../src/server/runbook-link.js';
import type { HealActionView } from '../src/server/status-api.js';

const STEPS = ['user_lookup', 'oracle_lookup', 'predict', 'async_predict'] as const;
const ICON: Record<string, string> = {
  HEALTHY: '✅',
  NO_USER: '🟠',
  NO_ORACLE: '🟠',
  FAILED: '❌',
  NO_VALUE: '⚪',
};

export interface PlaneOutcome extends PlaneReport {
  selfHeal: HealActionView[];
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The job summary: a table of planes with step timings, then what to do about each unhealthy status, linking
 * its section of the runbook at `runbookUrl` (`server.runbookUrl`).
 */
export function renderSummary(
  planes: readonly PlaneOutcome[],
  failOn: readonly string[],
  runbookUrl: string,
): string {
  const healthy = planes.filter((plane) => plane.status === 'HEALTHY').length;
  const lines = [`## planecheck: ${healthy} of ${planes.length} planes healthy`, ''];
  lines.push('| Plane | Status | Reason | User lookup | Oracle lookup | Predict | Async predict | Total |');
  lines.push('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const plane of planes) {
    const timings = STEPS.map((name) => {
      const step = plane.steps.find((candidate) => candidate.step === name);
      if (!step) return '–';
      const mark = step.outcome === 'ok' ? '' : step.outcome === 'not_found' ? ' (none)' : ' (failed)';
      return `${Math.round(step.durationMs)} ms${mark}`;
    });
    lines.push(
      `| ${cell(plane.name)} | ${ICON[plane.status] ?? ''} ${plane.status} | ${cell(plane.reason ?? '')} | ${timings.join(' | ')} | ${Math.round(plane.durationMs)} ms |`,
    );
  }
  const unhealthy = planes.filter((plane) => plane.status !== 'HEALTHY');
  if (unhealthy.length > 0) {
    lines.push('', '### What to do', '');
    for (const plane of unhealthy) {
      const guide = STATUS_GUIDE[plane.status];
      const failing = failOn.includes(plane.status) ? ' (fails this step)' : '';
      const runbook = runbookSectionUrl(plane.status, runbookUrl);
      const link = runbook ? ` [Runbook: ${plane.status}](${runbook})` : '';
      lines.push(
        `- **${cell(plane.name)}** — ${plane.status}${failing}: ${guide.meaning} ${guide.nextStep}${link}`,
      );
      const detail = plane.steps.find((step) => step.detail)?.detail;
      if (detail) lines.push(`  - detail: ${cell(detail)}`);
    }
  }
  const healed = planes.filter((plane) => plane.selfHeal.length > 0);
  if (healed.length > 0) {
    lines.push('', '### Self-heal', '', '| Plane | Reason | Run | Outcome |', '| --- | --- | --- | --- |');
    for (const plane of healed) {
      for (const action of plane.selfHeal) {
        const run = action.runUrl ? `[${action.runId ?? 'run'}](${action.runUrl})` : '–';
        lines.push(
          `| ${cell(plane.name)} | ${action.reason} | ${run} | ${action.outcome ?? action.status}${action.error ? ` (${cell(action.error)})` : ''} |`,
        );
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
