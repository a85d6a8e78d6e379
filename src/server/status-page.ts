import type { StatusResponse } from './status-api.js';

const escape = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A server-rendered status table; no external assets. */
export function renderStatusPage(status: StatusResponse): string {
  const rows = status.planes
    .map(
      (plane) =>
        `<tr><th scope="row">${escape(plane.name)}</th><td>${plane.status}</td><td>${escape(plane.reason ?? '')}</td>` +
        `<td>${plane.checkedAt ?? 'never'}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="15"><title>planecheck</title></head>
<body><h1>planecheck</h1>
<table><caption>Workload planes</caption>
<thead><tr><th scope="col">Plane</th><th scope="col">Status</th><th scope="col">Reason</th><th scope="col">Last check</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>`;
}
