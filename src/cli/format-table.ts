import { PLANE_STATUSES } from '../check/result.js';
import type { PlaneReport } from '../check/report.js';
import { STATUS_GUIDE } from '../check/status-guide.js';

const STEP_LABEL = {
  user_lookup: 'user',
  oracle_lookup: 'oracle',
  predict: 'predict',
  async_predict: 'async',
} as const;

/** A plain-text table for terminals and logs, then what to do about each unhealthy status seen. */
export function formatTable(planes: readonly PlaneReport[]): string {
  const rows = planes.map((plane) => [
    plane.name,
    plane.status,
    plane.reason ?? '-',
    `${Math.round(plane.durationMs)}ms`,
    plane.steps
      .map((step) => `${STEP_LABEL[step.step]} ${stepMark(step.outcome)} ${Math.round(step.durationMs)}ms`)
      .join('  '),
  ]);
  const header = ['PLANE', 'STATUS', 'REASON', 'TIME', 'STEPS'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  const lines = [line(header), ...rows.map(line), '', summaryLine(planes)];

  const details = planes.flatMap((plane) =>
    plane.steps
      .filter((step) => step.detail)
      .map((step) => `  ${plane.name} ${step.step}: ${step.detail ?? ''}`),
  );
  if (details.length > 0) lines.push('', 'Details:', ...details);

  const seen = PLANE_STATUSES.filter(
    (status) => status !== 'HEALTHY' && planes.some((plane) => plane.status === status),
  );
  if (seen.length > 0) {
    lines.push('', 'What to do:');
    for (const status of seen) lines.push(`  ${status}: ${STATUS_GUIDE[status].nextStep}`);
  }
  return lines.join('\n');
}

export function summaryLine(planes: readonly PlaneReport[]): string {
  const counts = PLANE_STATUSES.map(
    (status) => [status, planes.filter((plane) => plane.status === status).length] as const,
  ).filter(([, count]) => count > 0);
  const noun = planes.length === 1 ? 'plane' : 'planes';
  return `${planes.length} ${noun}: ${counts.map(([status, count]) => `${count} ${status}`).join(', ')}`;
}

function stepMark(outcome: 'ok' | 'not_found' | 'failed'): string {
  return outcome === 'ok' ? 'ok' : outcome === 'not_found' ? 'none' : 'FAIL';
}
