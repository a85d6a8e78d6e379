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

/** Most urgent first: the order of the chips, and of the planes that need attention. */
const STATUS_ORDER = ['FAILED', 'NO_USER', 'NO_ORACLE', 'NO_VALUE', 'HEALTHY'] as const;

/**
 * The status page: one self-contained HTML document (inline style and script, nothing fetched from
 * elsewhere, so it works on an air-gapped network). It renders from the embedded status at once, then
 * polls the status API and re-renders in place. `nonce` is the response's CSP nonce.
 */
export function renderStatusPage(status: StatusResponse, nonce: string, runbookUrl: string): string {
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
          runbook: runbookSectionUrl(key as PlaneStatus, runbookUrl) ?? '',
        },
      ];
    }),
  );
  const chip = (filter: string, label: string) =>
    `<button type="button" class="chip" data-filter="${filter}" aria-pressed="${filter === '' ? 'true' : 'false'}">${label} <span class="count"></span></button>`;
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
  <div class="tools">
    <label class="sr" for="filter">Filter planes by name</label>
    <input id="filter" type="search" placeholder="Filter by name" autocomplete="off" spellcheck="false">
    <div id="chips" role="group" aria-label="Show planes by status">
      ${[chip('', 'All'), ...STATUS_ORDER.map((key) => chip(key, key)), chip('maintenance', 'In maintenance')].join('\n      ')}
    </div>
  </div>
  <table id="planes">
    <caption>Workload planes: those that need attention first, then those in maintenance, then healthy ones. Refreshes by itself.</caption>
    <thead><tr>
      <th scope="col">Plane</th><th scope="col">Status</th><th scope="col">Last check</th>
      <th scope="col">Steps (ms)</th><th scope="col">Recent results</th><th scope="col">Availability 1 h / 24 h</th>
      <th scope="col">Self-heal</th>
    </tr></thead>
    <tbody id="attention-rows"></tbody>
    <tbody id="guidance"><tr><td colspan="7"><h2>What to do</h2><div id="cards"></div></td></tr></tbody>
    <tbody id="other-rows"></tbody>
  </table>
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
a:focus, button:focus, input:focus { outline:2px solid var(--link); outline-offset:2px; }
h1 { font-size:1.4rem; margin:0 0 .5rem; }
h2 { font-size:1.05rem; margin:.25rem 0 .5rem; }
.banner { font-size:1.1rem; font-weight:600; padding:.6rem .9rem; border-radius:6px; border:1px solid var(--line);
  margin:.25rem 0; }
.banner.ok { border-color:var(--ok); color:var(--ok); }
.banner.warn { border-color:var(--warn); color:var(--warn); }
.banner.bad { border-color:var(--bad); color:var(--bad); }
.meta { color:var(--muted); margin:.25rem 0 .75rem; font-size:.9rem; }
.tools { display:flex; flex-wrap:wrap; gap:.5rem; align-items:center; margin-bottom:.5rem; }
.tools input { font:inherit; padding:.25rem .5rem; border:1px solid var(--line); border-radius:6px;
  background:var(--bg); color:var(--fg); width:16rem; }
.chip { font:inherit; font-size:.85rem; padding:.15rem .6rem; border:1px solid var(--line); border-radius:999px;
  background:var(--card); color:var(--fg); cursor:pointer; }
.chip[aria-pressed="true"] { border-color:var(--link); box-shadow:inset 0 0 0 1px var(--link); }
.chip .count { font-weight:700; }
.chip.zero { color:var(--muted); }
main { overflow-x:auto; } /* a narrow screen scrolls the table, not the page */
table { border-collapse:collapse; width:100%; }
caption { text-align:left; color:var(--muted); font-size:.9rem; padding-bottom:.5rem; }
th, td { text-align:left; padding:.45rem .6rem; border-bottom:1px solid var(--line); vertical-align:top; }
thead th { font-size:.85rem; color:var(--muted); font-weight:600; }
tbody th { font-weight:600; white-space:nowrap; }
tr.compact > * { padding:.2rem .6rem; white-space:nowrap; vertical-align:middle; }
#attention-rows th { border-left:3px solid var(--bad); }
#guidance td { padding:.75rem 0; }
.status { display:inline-block; font-weight:700; font-size:.8rem; letter-spacing:.02em; padding:.05rem .45rem;
  border-radius:4px; border:1.5px solid currentColor; }
.s-HEALTHY { color:var(--ok); } .s-NO_USER, .s-NO_ORACLE { color:var(--warn); }
.s-FAILED { color:var(--bad); } .s-NO_VALUE { color:var(--none); }
.reason { display:block; color:var(--muted); font-size:.85rem; margin-top:.2rem; font-family:ui-monospace,monospace; }
.maintenance { color:var(--muted); font-size:.85rem; margin-left:.5rem; display:inline-block; max-width:28rem;
  overflow:hidden; text-overflow:ellipsis; vertical-align:middle; }
.small { color:var(--muted); font-size:.85rem; display:block; }
.steps { font-family:ui-monospace,monospace; font-size:.85rem; white-space:nowrap; }
.strip { display:flex; gap:2px; align-items:flex-end; height:1.1rem; }
.strip span { width:6px; height:100%; border-radius:1px; background:currentColor; }
.strip .s-NO_USER, .strip .s-NO_ORACLE { height:70%; } .strip .s-FAILED { height:100%; } .strip .s-HEALTHY { height:45%; }
.sr { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
#cards { display:grid; align-items:start; grid-template-columns:repeat(auto-fill, minmax(30rem, 1fr)); gap:.75rem; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:.6rem .9rem; }
.card h3 { margin:0 0 .3rem; font-size:1rem; }
.card p { margin:.3rem 0; }
.card ol, .card ul { margin:.3rem 0 .3rem 1.2rem; padding:0; }
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
  var URGENCY = { FAILED: 0, NO_USER: 1, NO_ORACLE: 2, NO_VALUE: 3, HEALTHY: 4 };
  var NAMED = 10; // planes named in the banner and on a card before "and N more"
  var shown = ''; // the pressed chip: '' (all), a status, or 'maintenance'
  var filterBox = document.getElementById('filter');
  var chips = Array.prototype.slice.call(document.querySelectorAll('#chips .chip'));

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
  /** Names, the first NAMED of them, then how many more. */
  function names(planes) {
    var list = planes.slice(0, NAMED).map(function (p) { return p.name; }).join(', ');
    return planes.length > NAMED ? list + ' and ' + (planes.length - NAMED) + ' more' : list;
  }
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
  function statusBadge(plane) {
    return el('span', { className: 'status s-' + plane.status, text: plane.status, title: guide[plane.status].meaning + (plane.reason ? ' (' + plane.reason + ')' : '') });
  }
  /** Maintenance comes from the API as { until, note, by } or null; absent from an API without it. */
  function inMaintenance(plane) { return !!plane.maintenance; }
  function needsAttention(plane) { return plane.status !== 'HEALTHY' && !inMaintenance(plane); }
  function group(plane) { return needsAttention(plane) ? 0 : inMaintenance(plane) ? 1 : 2; }
  /** Needs attention (most urgent status first), then in maintenance, then healthy; config order within. */
  function ordered(planes) {
    return planes.slice().sort(function (a, b) {
      return group(a) - group(b) || (group(a) === 0 ? URGENCY[a.status] - URGENCY[b.status] : 0);
    });
  }
  function matches(plane) {
    var text = filterBox.value.trim().toLowerCase();
    if (text && plane.name.toLowerCase().indexOf(text) < 0) return false;
    return shown === '' || (shown === 'maintenance' ? inMaintenance(plane) : plane.status === shown);
  }

  function banner() {
    var node = document.getElementById('banner');
    var planes = data.planes;
    var attention = ordered(planes.filter(needsAttention));
    var maintenance = planes.filter(inMaintenance);
    var stale = planes.length > 0 && planes.every(function (p) { return p.status === 'NO_VALUE'; }) &&
      planes.some(function (p) { return p.checkedAt; });
    var lastCycle = data.scheduler.lastCycleFinishedAt ? Date.parse(data.scheduler.lastCycleFinishedAt) : null;
    var cycleLate = lastCycle !== null && Date.now() - lastCycle > data.scheduler.cacheTtlSeconds * 1000;
    var text, kind;
    if (fetchError) { text = 'Cannot reach planecheck (' + fetchError + '): showing what it said ' + ago(new Date(fetchedAt).toISOString()); kind = 'bad'; }
    else if (!data.scheduler.running) { text = 'Checks have stopped: the scheduler is not running'; kind = 'bad'; }
    else if (stale || cycleLate) { text = 'Checks have stopped: results are going stale (last cycle ' + ago(data.scheduler.lastCycleFinishedAt) + ')'; kind = 'bad'; }
    else if (attention.length === 0) {
      text = maintenance.length === 0 ? 'All ' + planes.length + ' planes healthy'
        : 'No plane needs attention (' + maintenance.length + ' in maintenance: ' + names(maintenance) + ')';
      kind = 'ok';
    } else {
      text = attention.length + (attention.length === 1 ? ' plane needs' : ' planes need') + ' attention: ' + names(attention);
      kind = attention.some(function (p) { return p.status === 'FAILED'; }) ? 'bad' : 'warn';
    }
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
    document.getElementById('meta').textContent = planes.length + ' planes · checked every ' + data.scheduler.intervalSeconds +
      ' s, results valid ' + data.scheduler.cacheTtlSeconds + ' s · updated ' + ago(new Date(fetchedAt).toISOString()) +
      ' by ' + data.instance + (data.fleet && data.fleet.instances.length > 1 ? ', one of ' + data.fleet.instances.length + ' replicas' : '');
  }

  function chipCounts() {
    chips.forEach(function (chip) {
      var key = chip.getAttribute('data-filter');
      var count = key === '' ? data.planes.length : data.planes.filter(function (p) {
        return key === 'maintenance' ? inMaintenance(p) : p.status === key;
      }).length;
      chip.querySelector('.count').textContent = String(count);
      chip.classList.toggle('zero', count === 0);
      chip.hidden = key === 'maintenance' && count === 0 && shown !== key;
      chip.setAttribute('aria-pressed', String(key === shown));
    });
  }

  function maintenanceNote(m) {
    var parts = ['maintenance'];
    if (m.until) parts.push('until ' + new Date(m.until).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }));
    if (m.note) parts.push('· ' + m.note);
    parts.push('(' + (m.source === 'config' ? 'configured window' : m.actor) + ')');
    var text = parts.join(' ');
    return el('span', { className: 'maintenance', title: text, text: text });
  }

  function healCell(plane, compact) {
    var heal = el('td');
    var last = plane.selfHeal[0];
    if (plane.selfHealHeld) heal.appendChild(el('strong', { text: 'held (mass incident) ' }));
    if (last) {
      heal.appendChild(el('span', { text: (last.outcome || last.status) + ' · ' + ago(last.dispatchedAt) + ' ' }));
      if (last.runUrl) heal.appendChild(el('a', { className: compact ? '' : 'small', href: last.runUrl, text: 'run ' + (last.runId || '') }));
    } else if (!plane.selfHealHeld) heal.textContent = '–';
    return heal;
  }

  function historyCell(plane) {
    var recent = plane.recent || [];
    var strip = el('div', { className: 'strip', 'aria-hidden': 'true' }, recent.map(function (r) {
      return el('span', { className: 's-' + r.status, title: r.status + (r.reason ? ' (' + r.reason + ')' : '') + ' at ' + new Date(r.checkedAt).toLocaleString() });
    }));
    var healthyCount = recent.filter(function (r) { return r.status === 'HEALTHY'; }).length;
    return el('td', null, [strip, el('span', { className: 'sr', text: 'Last ' + recent.length + ' results: ' + healthyCount + ' healthy, ' + (recent.length - healthyCount) + ' not healthy' })]);
  }

  /** A plane that needs nothing from anyone: one line; the detail is in tooltips. */
  function compactRow(plane) {
    var status = el('td', null, [statusBadge(plane), plane.maintenance ? maintenanceNote(plane.maintenance) : null]);
    var checked = el('td', { title: plane.checkedBy ? 'checked by ' + plane.checkedBy : '' }, [
      el('span', { 'data-ago': plane.checkedAt || '', text: ago(plane.checkedAt) })]);
    var steps = el('td', { className: 'steps', title: plane.steps.map(function (s) { return STEP_LABELS[s.step] + ' ' + Math.round(s.durationMs); }).join(', ') },
      [document.createTextNode(plane.durationMs === null ? '–' : Math.round(plane.durationMs) + ' total')]);
    return el('tr', { className: 'compact', 'data-plane': plane.name }, [el('th', { scope: 'row', text: plane.name }), status, checked, steps,
      historyCell(plane), el('td', { text: pct(plane.availability.h1) + ' / ' + pct(plane.availability.h24) }), healCell(plane, true)]);
  }

  /** A plane that needs attention: its reason, who checked it and when, and each step. */
  function attentionRow(plane) {
    var status = el('td', null, [statusBadge(plane), plane.reason ? el('span', { className: 'reason', text: plane.reason }) : null]);
    var checked = el('td', null, [el('span', { 'data-ago': plane.checkedAt || '', text: ago(plane.checkedAt) }),
      el('span', { className: 'small', 'data-until': plane.expiresAt || '', text: until(plane.expiresAt) }),
      plane.checkedBy ? el('span', { className: 'small checked-by', text: 'checked by ' + plane.checkedBy }) : null]);
    var steps = el('td', { className: 'steps' }, plane.steps.map(function (step) {
      var mark = step.outcome === 'ok' ? '' : step.outcome === 'not_found' ? ' (none)' : ' (failed)';
      return el('span', { className: 'small', text: STEP_LABELS[step.step] + ' ' + Math.round(step.durationMs) + mark });
    }));
    return el('tr', { 'data-plane': plane.name }, [el('th', { scope: 'row', text: plane.name }), status, checked, steps,
      historyCell(plane), el('td', { text: pct(plane.availability.h1) + ' / ' + pct(plane.availability.h24) }), healCell(plane, false)]);
  }

  /** What to do about the planes in one status: the runbook's words once, each plane's reason and detail. */
  function card(planes) {
    var status = planes[0].status;
    var g = guide[status];
    var children = [el('h3', null, [el('span', { className: 'status s-' + status, text: status }), document.createTextNode(' ' + names(planes))]),
      rich('p', g.meaning)];
    var perPlane = el('ul');
    planes.slice(0, NAMED).forEach(function (plane) {
      var detail = plane.steps.filter(function (s) { return s.detail; }).map(function (s) { return s.step + ': ' + s.detail; }).join('; ');
      var item = el('li', null, [document.createTextNode(plane.name + ' '), plane.reason ? el('code', { text: plane.reason }) : null,
        document.createTextNode(detail ? ': ' + detail : '')]);
      plane.selfHeal.forEach(function (a) {
        item.appendChild(document.createTextNode(' · self-heal ' + (a.outcome || a.status) + ', dispatched ' + new Date(a.dispatchedAt).toLocaleString() + (a.error ? ' (' + a.error + ')' : '') + ' '));
        if (a.runUrl) item.appendChild(el('a', { href: a.runUrl, text: 'workflow run ' + (a.runId || '') }));
      });
      perPlane.appendChild(item);
    });
    children.push(perPlane);
    var steps = el('ol');
    if (g.diagnose) {
      var diagnose = rich('li', 'Diagnose: ' + g.diagnose);
      var specifics = [];
      planes.forEach(function (plane) {
        var specific = forReason(g.diagnoseByReason, plane.reason);
        if (specific && specifics.indexOf(specific) < 0) specifics.push(specific);
      });
      specifics.forEach(function (specific) { diagnose.appendChild(rich('p', specific, 'small')); });
      steps.appendChild(diagnose);
    }
    if (g.mitigate) steps.appendChild(rich('li', 'Mitigate: ' + g.mitigate));
    if (!g.diagnose && !g.mitigate) steps.appendChild(el('li', { text: g.nextStep }));
    children.push(steps);
    if (g.runbook) children.push(el('p', null, [el('a', { href: g.runbook, text: 'Runbook: ' + status })]));
    return el('article', { className: 'card', 'data-planes': planes.map(function (p) { return p.name; }).join(' ') }, children);
  }

  function render() {
    document.body.setAttribute('data-fetched-at', String(fetchedAt)); // lets a test wait for a refresh
    banner();
    chipCounts();
    var visible = ordered(data.planes).filter(matches);
    var attention = visible.filter(needsAttention);
    var rest = visible.filter(function (p) { return !needsAttention(p); });
    var attentionRows = document.getElementById('attention-rows');
    attentionRows.replaceChildren.apply(attentionRows, attention.map(attentionRow));
    var otherRows = document.getElementById('other-rows');
    otherRows.replaceChildren.apply(otherRows, visible.length === 0
      ? [el('tr', null, [el('td', { colspan: '7', text: 'No plane matches the filter.' })])] : rest.map(compactRow));
    // One explanation per status, in the order the planes are listed (most urgent first).
    var byStatus = {};
    var order = [];
    attention.forEach(function (p) {
      if (!byStatus[p.status]) { byStatus[p.status] = []; order.push(p.status); }
      byStatus[p.status].push(p);
    });
    document.getElementById('guidance').hidden = order.length === 0;
    var cards = document.getElementById('cards');
    cards.replaceChildren.apply(cards, order.map(function (status) { return card(byStatus[status]); }));
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

  filterBox.addEventListener('input', render);
  chips.forEach(function (chip) {
    chip.addEventListener('click', function () {
      var key = chip.getAttribute('data-filter');
      shown = shown === key ? '' : key;
      render();
    });
  });
  render();
  setInterval(tick, 1000);
  setInterval(poll, 3000);
})();
`;
