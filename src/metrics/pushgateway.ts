import { createHash } from 'node:crypto';
import { Gauge, Registry } from 'prom-client';
import { PLANE_STATUSES } from '../check/result.js';
import type { PlaneReport } from '../check/report.js';

/**
 * Pushes one-shot results to a Prometheus Pushgateway, with the daemon's metric names, so CI checks show
 * in the same dashboards. Grouped by job, instance and plane set, so each pipeline replaces its own last
 * push, and two jobs of one repository that check different planes do not overwrite each other.
 */
export async function pushResults(
  url: string,
  planes: readonly PlaneReport[],
  instance: string,
): Promise<void> {
  const registry = new Registry();
  const status = new Gauge({
    name: 'planecheck_status',
    help: 'Current status of each workload plane: 1 for the status it is in, 0 for the other four.',
    labelNames: ['workload_plane', 'status'] as const,
    registers: [registry],
  });
  const lastCheck = new Gauge({
    name: 'planecheck_last_check_timestamp_seconds',
    help: 'Unix time of the last completed check of each workload plane.',
    labelNames: ['workload_plane'] as const,
    registers: [registry],
  });
  for (const plane of planes) {
    for (const candidate of PLANE_STATUSES)
      status.set({ workload_plane: plane.name, status: candidate }, plane.status === candidate ? 1 : 0);
    lastCheck.set({ workload_plane: plane.name }, Date.parse(plane.checkedAt) / 1000);
  }
  // The Pushgateway's base64 form, since an instance like owner/repo has a slash in it.
  const groupings = {
    'instance@base64': Buffer.from(instance).toString('base64url'),
    plane_set: planeSetKey(planes.map((plane) => plane.name)),
  };
  await putMetrics(url, 'planecheck_action', groupings, registry);
}

/**
 * PUT /metrics/job/<job>/<label>/<value>...: replaces the group's metrics. Plain fetch rather than
 * prom-client's Pushgateway class, which calls url.parse() (DEP0169: a warning on every Node 24 run).
 */
async function putMetrics(
  base: string,
  job: string,
  groupings: Record<string, string>,
  registry: Registry,
): Promise<void> {
  const path = [job, ...Object.entries(groupings).flat()].map(encodeURIComponent).join('/');
  const target = `${base.replace(/\/+$/, '')}/metrics/job/${path}`;
  const response = await fetch(target, {
    method: 'PUT',
    headers: { 'content-type': registry.contentType },
    body: await registry.metrics(),
    signal: AbortSignal.timeout(10_000),
  });
  // Read the body either way, so the connection is released. The Pushgateway explains a rejected push in
  // plain text; a proxy's HTML error page would only clutter the message.
  const body = (await response.text()).trim().slice(0, 300);
  if (response.ok) return;
  const plain = (response.headers.get('content-type') ?? '').startsWith('text/plain') && body !== '';
  throw new Error(`Pushgateway answered HTTP ${response.status}${plain ? `: ${body}` : ''}`);
}

/**
 * A short stable name for a set of planes (the `plane_set` grouping label): the first 12 hex digits of
 * the SHA-256 of the sorted names, the same whatever order the planes were listed in.
 */
export function planeSetKey(names: readonly string[]): string {
  const sorted = [...new Set(names)].sort();
  return createHash('sha256').update(sorted.join('\n')).digest('hex').slice(0, 12);
}
