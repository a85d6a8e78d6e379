import { STATUS_GUIDE } from '../check/status-guide.js';
import type { PlaneStatus } from '../check/result.js';
import { runbookSectionUrl } from './runbook-link.js';
import { RUNBOOK } from './runbook.generated.js';
import type { StatusResponse } from './status-api.js';

/** JSON inside a <script> element: `<` escaped so no value can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The status page: one self-contained HTML document (inline style and script, nothing fetched from
 * elsewhere, so it works on an air-gapped network). It renders from the embedded status at once, then
 * polls the status API and re-renders in place. `nonce` is the response's CSP nonce.
 */
export function renderStatusPage(status: StatusResponse, nonce: string): string {
  const guide = Object.fromEntries(
    Object.entries(STATUS_GUIDE).map(([key, value]) => {
      const section = RUNBOOK[key as keyof typeof RUNBOOK] as
        (typeof RUNBOOK)[keyof typeof RUNBOOK] | undefined;
      return [
        key,
        {
          meaning: value.meaning,
          nextStep: value.nextStep,
          diagnose: section?.diagnose ?? '',
          diagnoseByReason: section?.diagnoseByReason ?? [],
          mitigate: section?.mitigate ?? '',
          runbook: runbookSectionUrl(key as PlaneStatus) ?? '',
        },
      ];
    }),
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>planecheck</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header>
  <h1>planecheck</h1>
  <p id="banner" class="banner" role="status" aria-live="polite"></p>
  <p id="heal-hold" class="banner bad" role="alert" hidden></p>
  <p id="storage-down" class="banner bad" role="alert" hidden></p>
  <p class="meta" id="meta"></p>
  <p class="meta"><a id="audit-link" href="api/v1/audit">Audit trail</a>: every self-heal dispatch, hold and
    outcome, and every maintenance start and end, with who and why.</p>
</header>
<main>
  <table id="planes">
    <caption>Workload planes, their last check and what self-heal did. Refreshes by itself.</caption>
    <thead><tr>
      <th scope="col">Plane</th><th scope="col">Status</th><th scope="col">Last check</th>
      <th scope="col">Steps (ms)</th><th scope="col">Recent results</th><th scope="col">Availability 1 h / 24 h</th>
      <th scope="col">Self-heal</th>
    </tr></thead>
    <tbody></tbody>
  </table>
  <section id="attention" aria-labelledby="attention-title" hidden>
    <h2 id="attention-title">Needs attention</h2>
    <div id="attention-list"></div>
  </section>
</main>
<script type="application/json" id="initial-status">${scriptJson(status)}</script>
<script type="application/json" id="status-guide">${scriptJson(guide)}</script>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}

const STYLE = `
:root { --bg:#fff; --fg:#1b1f24; --muted:#5b636d; --line:#d8dee4; --card:#f6f8fa;
  --ok:#1a7f37; --warn:#9a6700; --bad:#cf222e; --none:#6e7781; --link:#0969da; }
@media (prefers-color-scheme: dark) { :root { --bg:#0d1117; --fg:#e6edf3; --muted:#9198a1; --line:#30363d;
  --card:#161b22; --ok:#3fb950; --warn:#d29922; --bad:#f85149; --none:#8b949e; --link:#4493f8; } }
* { box-sizing: border-box; }
body { margin:0; padding:1rem 1.5rem 3rem; background:var(--bg); color:var(--fg);
  font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; }
a { color:var(--link); }
a:focus, summary:focus { outline:2px solid var(--link); outline-offset:2px; }
h1 { font-size:1.4rem; margin:0 0 .5rem; }
h2 { font-size:1.15rem; margin:2rem 0 .75rem; }
.banner { font-size:1.1rem; font-weight:600; padding:.6rem .9rem; border-radius:6px; border:1px solid var(--line);
  margin:.25rem 0; }
.banner.ok { border-color:var(--ok); color:var(--ok); }
.banner.warn { border-color:var(--warn); color:var(--warn); }
.banner.bad { border-color:var(--bad); color:var(--bad); }
.meta { color:var(--muted); margin:.25rem 0 1rem; font-size:.9rem; }
table { border-collapse:collapse; width:100%; }
caption { text-align:left; color:var(--muted); font-size:.9rem; padding-bottom:.5rem; }
th, td { text-align:left; padding:.5rem .6rem; border-bottom:1px solid var(--line); vertical-align:top; }
thead th { font-size:.85rem; color:var(--muted); font-weight:600; }
tbody th { font-weight:600; white-space:nowrap; }
.status { display:inline-block; font-weight:700; font-size:.8rem; letter-spacing:.02em; padding:.1rem .45rem;
  border-radius:4px; border:1.5px solid currentColor; }
.s-HEALTHY { color:var(--ok); } .s-NO_USER, .s-NO_ORACLE { color:var(--warn); }
.s-FAILED { color:var(--bad); } .s-NO_VALUE { color:var(--none); }
.reason { display:block; color:var(--muted); font-size:.85rem; margin-top:.2rem; font-family:ui-monospace,monospace; }
.maintenance { display:block; font-size:.85rem; margin-top:.2rem; padding:.1rem .4rem; border-left:3px solid var(--link); }
.small { color:var(--muted); font-size:.85rem; display:block; }
.steps { font-family:ui-monospace,monospace; font-size:.85rem; white-space:nowrap; }
.strip { display:flex; gap:2px; align-items:flex-end; height:1.2rem; }
.strip span { width:6px; height:100%; border-radius:1px; background:currentColor; }
.strip .s-NO_USER, .strip .s-NO_ORACLE { height:70%; } .strip .s-FAILED { height:100%; } .strip .s-HEALTHY { height:45%; }
.sr { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:.8rem 1rem; margin-bottom:1rem; }
.card h3 { margin:0 0 .4rem; font-size:1rem; }
.card p { margin:.35rem 0; }
.card ol { margin:.35rem 0 .35rem 1.2rem; padding:0; }
code { font-family:ui-monospace,monospace; font-size:.9em; }
`;

// Plain ES2020 for the browser; no template literals, so nothing here is interpolated by the server.
const SCRIPT = String.raw`
(function () {
  'use strict';
  var guide = JSON.parse(document.getElementById('status-guide').textContent);
  var data = JSON.parse(document.getElementById('initial-status').textContent);
  var fetchedAt = Date.now();
  var fetchError = null;
  var STEP_LABELS = { user_lookup: 'user', oracle_lookup: 'oracle', predict: 'predict', async_predict: 'async' };

  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) Object.keys(props).forEach(function (key) {
      if (key === 'text') node.textContent = props[key];
      else if (key === 'className') node.className = props[key];
      else node.setAttribute(key, props[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function ago(iso) {
    if (!iso) return 'never';
    var s = Math.round((Date.now() - Date.parse(iso)) / 1000);
    if (s < 0) s = 0;
    if (s < 120) return s + ' s ago';
    if (s < 7200) return Math.round(s / 60) + ' min ago';
    return Math.round(s / 3600) + ' h ago';
  }
  function until(iso) {
    if (!iso) return '';
    var s = Math.round((Date.parse(iso) - Date.now()) / 1000);
    return s > 0 ? 'expires in ' + s + ' s' : 'expired ' + (-s) + ' s ago';
  }
  function pct(value) { return value === null || value === undefined ? 'n/a' : (value * 100).toFixed(value >= 0.999 ? 0 : 1) + '%'; }
  /** Text with markdown code spans as <code> elements. */
  function rich(tag, text, className) {
    var node = el(tag, className ? { className: className } : null);
    String(text).split('\x60').forEach(function (part, i) {
      node.appendChild(i % 2 === 1 ? el('code', { text: part }) : document.createTextNode(part));
    });
    return node;
  }
  function forReason(entries, reason) {
    if (!reason) return null;
    var found = entries.filter(function (entry) {
      return entry.prefixes.some(function (p) { return p.charAt(0) === '*' ? reason.slice(-p.length + 1) === p.slice(1) : reason.indexOf(p) === 0; });
    })[0];
    return found ? found.text : null;
  }
  function statusBadge(status) { return el('span', { className: 'status s-' + status, text: status }); }

  function banner() {
    var node = document.getElementById('banner');
    var planes = data.planes;
    // A plane in maintenance is expected to be broken: it is shown, not counted as needing attention.
    var bad = planes.filter(function (p) { return p.status !== 'HEALTHY' && !p.maintenance; });
    var resting = planes.length - planes.filter(function (p) { return !p.maintenance; }).length;
    var stale = planes.length > 0 && planes.every(function (p) { return p.status === 'NO_VALUE'; }) &&
      planes.some(function (p) { return p.checkedAt; });
    var lastCycle = data.scheduler.lastCycleFinishedAt ? Date.parse(data.scheduler.lastCycleFinishedAt) : null;
    var cycleLate = lastCycle !== null && Date.now() - lastCycle > data.scheduler.cacheTtlSeconds * 1000;
    var text, kind;
    if (fetchError) { text = 'Cannot reach planecheck (' + fetchError + '): showing what it said ' + ago(new Date(fetchedAt).toISOString()); kind = 'bad'; }
    else if (!data.scheduler.running) { text = 'Checks have stopped: the scheduler is not running'; kind = 'bad'; }
    else if (stale || cycleLate) { text = 'Checks have stopped: results are going stale (last cycle ' + ago(data.scheduler.lastCycleFinishedAt) + ')'; kind = 'bad'; }
    else if (bad.length === 0 && resting > 0) { text = 'All ' + (planes.length - resting) + ' other planes healthy; ' + resting + ' in maintenance'; kind = 'ok'; }
    else if (bad.length === 0) { text = 'All ' + planes.length + ' planes healthy'; kind = 'ok'; }
    else { text = bad.length + (bad.length === 1 ? ' plane needs' : ' planes need') + ' attention'; kind = bad.some(function (p) { return p.status === 'FAILED'; }) ? 'bad' : 'warn'; }
    node.textContent = text;
    node.className = 'banner ' + kind;
    var hold = data.selfHeal && data.selfHeal.held ? data.selfHeal : null;
    var holdNode = document.getElementById('heal-hold');
    holdNode.hidden = !hold;
    holdNode.textContent = hold ? 'Self-heal is holding back: ' + hold.planes.length +
      ' planes need repair at once (more than ' + hold.maxPlanesAtOnce + '), so no workflow is dispatched for any ' +
      'of them until a person looks (since ' + ago(hold.heldSince) + '): ' + hold.planes.join(', ') : '';
    var storage = data.storage && !data.storage.up ? data.storage : null;
    var storageNode = document.getElementById('storage-down');
    storageNode.hidden = !storage;
    storageNode.textContent = storage ? 'The store (' + storage.kind + ') has not answered since ' + ago(storage.since) +
      ': results are kept in memory and written once it is back; self-heal dispatches nothing meanwhile' +
      (storage.error ? ' (' + storage.error + ')' : '') : '';
    var counts = Object.keys(data.summary).filter(function (k) { return data.summary[k] > 0; })
      .map(function (k) { return data.summary[k] + ' ' + k; }).join(', ');
    document.getElementById('meta').textContent = counts + ' · checked every ' + data.scheduler.intervalSeconds +
      ' s, results valid ' + data.scheduler.cacheTtlSeconds + ' s · updated ' + ago(new Date(fetchedAt).toISOString()) +
      ' by ' + data.instance + (data.fleet && data.fleet.instances.length > 1 ? ', one of ' + data.fleet.instances.length + ' replicas' : '');
  }

  function row(plane) {
    var statusCell = el('td', null, [statusBadge(plane.status),
      el('span', { className: 'small', text: guide[plane.status].meaning })]);
    if (plane.reason) statusCell.appendChild(el('span', { className: 'reason', text: plane.reason }));
    if (plane.maintenance) statusCell.appendChild(maintenanceNote(plane.maintenance, 'span'));
    var checked = el('td', null, [el('span', { 'data-ago': plane.checkedAt || '', text: ago(plane.checkedAt) }),
      el('span', { className: 'small', 'data-until': plane.expiresAt || '', text: until(plane.expiresAt) }),
      plane.checkedBy ? el('span', { className: 'small checked-by', text: 'checked by ' + plane.checkedBy }) : null]);
    var steps = el('td', { className: 'steps' }, plane.steps.map(function (step) {
      var mark = step.outcome === 'ok' ? '' : step.outcome === 'not_found' ? ' (none)' : ' (failed)';
      return el('span', { className: 'small', text: STEP_LABELS[step.step] + ' ' + Math.round(step.durationMs) + mark });
    }));
    var recent = plane.recent || [];
    var strip = el('div', { className: 'strip', 'aria-hidden': 'true' }, recent.map(function (r) {
      return el('span', { className: 's-' + r.status, title: r.status + (r.reason ? ' (' + r.reason + ')' : '') + ' at ' + new Date(r.checkedAt).toLocaleString() });
    }));
    var healthyCount = recent.filter(function (r) { return r.status === 'HEALTHY'; }).length;
    var history = el('td', null, [strip, el('span', { className: 'sr', text: 'Last ' + recent.length + ' results: ' + healthyCount + ' healthy, ' + (recent.length - healthyCount) + ' not healthy' })]);
    var availability = el('td', { text: pct(plane.availability.h1) + ' / ' + pct(plane.availability.h24) });
    var heal = el('td');
    var last = plane.selfHeal[0];
    if (plane.selfHealHeld) heal.appendChild(el('strong', { text: 'held (mass incident) ' }));
    if (last) {
      heal.appendChild(el('span', { text: (last.outcome || last.status) + ' · ' + ago(last.dispatchedAt) }));
      if (last.runUrl) heal.appendChild(el('a', { className: 'small', href: last.runUrl, text: 'run ' + (last.runId || '') }));
    } else if (!plane.selfHealHeld) heal.textContent = '–';
    return el('tr', { 'data-plane': plane.name }, [el('th', { scope: 'row', text: plane.name }), statusCell, checked, steps, history, availability, heal]);
  }

  function maintenanceNote(m, tag) {
    return el(tag, { className: 'maintenance', text: 'In maintenance until ' + new Date(m.until).toLocaleString() +
      (m.note ? ': ' + m.note : '') + ' (' + (m.source === 'config' ? 'configured window' : m.actor) +
      '). Still checked; self-heal and alerts leave it alone.' });
  }

  function card(plane) {
    var g = guide[plane.status];
    var children = [el('h3', null, [document.createTextNode(plane.name + ' '), statusBadge(plane.status)]),
      rich('p', g.meaning)];
    if (plane.maintenance) children.push(maintenanceNote(plane.maintenance, 'p'));
    if (plane.reason) children.push(el('p', null, [document.createTextNode('Reason: '), el('code', { text: plane.reason })]));
    var detail = plane.steps.filter(function (s) { return s.detail; }).map(function (s) { return s.step + ': ' + s.detail; }).join('; ');
    if (detail) children.push(el('p', { className: 'small', text: detail }));
    var steps = el('ol');
    if (g.diagnose) {
      var diagnose = rich('li', 'Diagnose: ' + g.diagnose);
      var specific = forReason(g.diagnoseByReason, plane.reason);
      if (specific) diagnose.appendChild(rich('p', specific, 'small'));
      steps.appendChild(diagnose);
    }
    if (g.mitigate) steps.appendChild(rich('li', 'Mitigate: ' + g.mitigate));
    if (!g.diagnose && !g.mitigate) steps.appendChild(el('li', { text: g.nextStep }));
    children.push(steps);
    if (plane.selfHeal.length > 0) {
      var list = el('ul');
      plane.selfHeal.forEach(function (a) {
        var item = el('li', { text: 'Self-heal ' + (a.outcome || a.status) + ', dispatched ' + new Date(a.dispatchedAt).toLocaleString() + (a.error ? ' (' + a.error + ')' : '') + ' ' });
        if (a.runUrl) item.appendChild(el('a', { href: a.runUrl, text: 'workflow run ' + (a.runId || '') }));
        list.appendChild(item);
      });
      children.push(list);
    }
    if (g.runbook) children.push(el('p', null, [el('a', { href: g.runbook, text: 'Runbook: ' + plane.status })]));
    return el('article', { className: 'card', 'data-plane': plane.name }, children);
  }

  function render() {
    banner();
    var body = document.querySelector('#planes tbody');
    body.replaceChildren.apply(body, data.planes.map(row));
    var attention = data.planes.filter(function (p) { return p.status !== 'HEALTHY'; });
    var section = document.getElementById('attention');
    section.hidden = attention.length === 0;
    var list = document.getElementById('attention-list');
    list.replaceChildren.apply(list, attention.map(card));
  }

  function tick() {
    document.querySelectorAll('[data-ago]').forEach(function (node) { node.textContent = ago(node.getAttribute('data-ago')); });
    document.querySelectorAll('[data-until]').forEach(function (node) { node.textContent = until(node.getAttribute('data-until')); });
    banner();
  }

  function poll() {
    fetch('api/v1/status', { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(function (next) { data = next; fetchedAt = Date.now(); fetchError = null; render(); })
      .catch(function (error) { fetchError = error.message || String(error); banner(); });
  }

  render();
  setInterval(tick, 1000);
  setInterval(poll, 3000);
})();
`;
