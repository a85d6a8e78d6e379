// The bits of the Prometheus text format that planecheck's own renderers need, as prom-client does them.

export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** `workload_plane="..."`, the label every planecheck series starts with. */
export function planeLabel(plane: string): string {
  return `workload_plane="${escapeLabel(plane)}"`;
}

export function escapeHelp(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
