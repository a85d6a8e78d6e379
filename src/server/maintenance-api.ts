import type { IncomingMessage } from 'node:http';
import { formatDuration, parseDuration } from '../config/duration.js';
import { parseRfc3339 } from '../config/schema.js';
import type { MaintenanceState, PlaneMaintenance } from '../maintenance/maintenance-window.js';
import { json, type Route, type RouteResponse } from './http-server.js';

/** The longest maintenance the API starts: a forgotten one ends by itself within a month. */
export const MAX_MAINTENANCE_MS = 31 * 86_400_000;
const MAX_BODY_BYTES = 16 * 1024;
const MAX_NOTE = 500;

/** A plane's maintenance as the status API and the maintenance API show it. */
export interface MaintenanceStateView {
  since: string;
  until: string;
  note: string;
  actor: string;
  source: 'config' | 'api';
}

export function maintenanceStateView(state: MaintenanceState | undefined): MaintenanceStateView | null {
  if (state === undefined) return null;
  return {
    since: new Date(state.startedAt).toISOString(),
    until: new Date(state.until).toISOString(),
    note: state.note,
    actor: state.actor,
    source: state.source,
  };
}

export interface MaintenanceApiDeps {
  /** The configured planes, as of now (a reload changes them). */
  planes: () => readonly string[];
  state(plane: string, now: number): MaintenanceState | undefined;
  start(maintenance: PlaneMaintenance): Promise<MaintenanceState>;
  end(plane: string, actor: string, now: number): Promise<PlaneMaintenance | undefined>;
  /** Who sent the request (see actorOf). */
  actor(request: IncomingMessage): string;
  now?: () => number;
}

/** What a POST asks for: until when, and why. */
export type MaintenanceRequest = { until: number; note: string } | { error: string };

/**
 * Reads `{"for": "2h", "note": "..."}` or `{"until": "<RFC 3339>", "note": "..."}`. Pure. An error names the
 * field.
 */
export function parseMaintenanceRequest(body: unknown, now: number): MaintenanceRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return { error: 'body: expected a JSON object such as {"for": "2h", "note": "upgrade"}' };
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !['for', 'until', 'note'].includes(key));
  if (unknown !== undefined) return { error: `${unknown}: unknown field (use for or until, and note)` };
  const note = fields.note ?? '';
  if (typeof note !== 'string') return { error: 'note: expected a string' };
  if (note.length > MAX_NOTE) return { error: `note: at most ${MAX_NOTE} characters` };
  if ((fields.for === undefined) === (fields.until === undefined))
    return { error: 'for, until: give exactly one of them (a duration such as "2h", or an RFC 3339 time)' };
  let until: number;
  if (fields.for !== undefined) {
    const ms = typeof fields.for === 'string' ? parseDuration(fields.for) : undefined;
    if (ms === undefined) return { error: 'for: expected a duration such as "30m" or "2h"' };
    if (ms < 60_000 || ms > MAX_MAINTENANCE_MS)
      return { error: `for: must be between 1m and ${formatDuration(MAX_MAINTENANCE_MS)}` };
    until = now + ms;
  } else {
    const at = typeof fields.until === 'string' ? parseRfc3339(fields.until) : undefined;
    if (at === undefined) return { error: 'until: expected an RFC 3339 time such as 2026-12-01T04:00:00Z' };
    if (at <= now) return { error: 'until: must be in the future' };
    if (at - now > MAX_MAINTENANCE_MS)
      return { error: `until: at most ${formatDuration(MAX_MAINTENANCE_MS)} from now` };
    until = at;
  }
  return { until, note };
}

/**
 * `POST /api/v1/planes/{plane}/maintenance` starts (or replaces) a plane's run-time maintenance;
 * `DELETE` ends it. Both answer the plane's maintenance as it stands afterwards (a configured window may
 * still hold after a DELETE).
 */
export function maintenanceRoute(deps: MaintenanceApiDeps): Route {
  return async (url, request) => {
    const match = /^\/api\/v1\/planes\/([^/]+)\/maintenance$/.exec(url.pathname);
    if (!match?.[1])
      return { ...json({ error: 'method not allowed' }, 405), headers: { allow: 'GET, HEAD' } };
    let plane: string;
    try {
      plane = decodeURIComponent(match[1]);
    } catch {
      return json({ error: 'the path is not valid percent-encoding' }, 400);
    }
    if (!deps.planes().includes(plane)) return json({ error: `no plane named ${plane}` }, 404);
    const now = deps.now?.() ?? Date.now();
    const actor = deps.actor(request);
    if (request.method === 'DELETE') {
      const ended = await stored(() => deps.end(plane, actor, now));
      if ('response' in ended) return ended.response;
      return json({
        plane,
        ended: ended.value !== undefined,
        maintenance: maintenanceStateView(deps.state(plane, now)),
      });
    }
    const body = await readJson(request);
    if ('error' in body) return json({ error: body.error }, body.status);
    const asked = parseMaintenanceRequest(body.value, now);
    if ('error' in asked) return json({ error: asked.error }, 400);
    const started = await stored(() =>
      deps.start({ plane, startedAt: now, until: asked.until, note: asked.note, actor }),
    );
    if ('response' in started) return started.response;
    return json({ plane, maintenance: maintenanceStateView(started.value) });
  };
}

/** The store's answer, or a 503 saying it did not answer (nothing changed then). */
async function stored<T>(work: () => Promise<T>): Promise<{ value: T } | { response: RouteResponse }> {
  try {
    return { value: await work() };
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    return { response: json({ error: `the store did not answer; nothing changed: ${cause}` }, 503) };
  }
}

async function readJson(
  request: IncomingMessage,
): Promise<{ value: unknown } | { error: string; status: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return { error: `body: at most ${MAX_BODY_BYTES} bytes`, status: 413 };
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '')
    return { error: 'body: expected JSON such as {"for": "2h", "note": "upgrade"}', status: 400 };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { error: 'body: not valid JSON', status: 400 };
  }
}
