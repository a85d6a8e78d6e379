import { randomBytes } from 'node:crypto';
import type { StoredResult } from '../check/stored-result.js';
import type { AuditEvent } from '../audit/audit-trail.js';
import { auditRoute } from './audit-api.js';
import { renderBadge } from './badge.js';
import { json, type Route, type RouteResponse } from './http-server.js';
import type { StatusResponse } from './status-api.js';
import { renderStatusPage } from './status-page.js';

export const HISTORY_DEFAULT_LIMIT = 100;
export const HISTORY_MAX_LIMIT = 1_000;

export interface RouteDeps {
  metrics: { render(): Promise<Buffer[]>; renderText(): Promise<Buffer[]>; contentType: string };
  status: () => StatusResponse;
  /** The configured planes, as of now (a reload changes them). */
  planes: () => readonly string[];
  history: (plane: string, limit: number) => Promise<StoredResult[]>;
  /** The plane's status right now, for its badge. */
  planeStatus: (plane: string) => StatusResponse['planes'][number]['status'];
  /** A page of the audit trail, newest first (see auditRoute). */
  audit?: (limit: number, before?: number) => Promise<AuditEvent[]>;
  /** `server.runbookUrl` as of now: the page links each status's section of it. */
  runbookUrl: () => string;
}

/** The daemon's routes behind the optional auth: metrics, the status API, plane history, the page and badges. */
export function createRoutes(deps: RouteDeps): Record<string, Route> {
  return {
    '/metrics': async (_url, request) => {
      const gzip = acceptsGzip(request.headers['accept-encoding']);
      const headers: Record<string, string> = gzip
        ? { 'content-encoding': 'gzip', vary: 'accept-encoding' }
        : { vary: 'accept-encoding' };
      return {
        status: 200,
        contentType: deps.metrics.contentType,
        body: gzip ? await deps.metrics.render() : await deps.metrics.renderText(),
        headers,
      };
    },
    '/api/v1/status': () => json(deps.status()),
    ...(deps.audit ? { '/api/v1/audit': auditRoute(deps.audit) } : {}),
    '/api/v1/planes/': async (url) => historyRoute(url, deps),
    '/': () => statusPage(deps.status(), deps.runbookUrl()),
    '/badge/': (url) => {
      const match = /^\/badge\/([^/]+)\.svg$/.exec(url.pathname);
      const plane = match?.[1] ? decodePathSegment(match[1]) : '';
      if (plane === undefined) return badPercentEncoding();
      if (!deps.planes().includes(plane)) return json({ error: 'no such plane' }, 404);
      return {
        status: 200,
        contentType: 'image/svg+xml; charset=utf-8',
        body: renderBadge(plane, deps.planeStatus(plane)),
      };
    },
  };
}

/**
 * A percent-decoded path segment, or undefined when it is not valid percent-encoding (`%E0`, `%zz`):
 * that is the client's mistake, answered 400, not a server error.
 */
function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function badPercentEncoding(): RouteResponse {
  return json({ error: 'the path is not valid percent-encoding' }, 400);
}

/** Whether an Accept-Encoding header takes gzip (and does not refuse it with q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((entry) => {
    const [coding = '', ...params] = entry.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === 'x-gzip') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/** `GET /api/v1/planes/{name}/history?limit=N`: newest first; `limit` defaults to 100 and is capped at 1,000. */
async function historyRoute(url: URL, deps: RouteDeps): Promise<RouteResponse> {
  const match = /^\/api\/v1\/planes\/([^/]+)\/history$/.exec(url.pathname);
  if (!match?.[1]) return json({ error: 'not found' }, 404);
  const plane = decodePathSegment(match[1]);
  if (plane === undefined) return badPercentEncoding();
  if (!deps.planes().includes(plane)) return json({ error: `no plane named ${plane}` }, 404);
  const raw = url.searchParams.get('limit');
  let limit = HISTORY_DEFAULT_LIMIT;
  if (raw !== null) {
    if (!/^\d+$/.test(raw) || Number(raw) < 1)
      return json({ error: 'limit must be a whole number from 1' }, 400);
    limit = Math.min(Number(raw), HISTORY_MAX_LIMIT);
  }
  let stored: StoredResult[];
  try {
    stored = await deps.history(plane, limit);
  } catch (error) {
    // The store is away (a fleet's database restarting): say so; the status API still answers from memory.
    const cause = error instanceof Error ? error.message : String(error);
    return json({ error: `the result store did not answer: ${cause}` }, 503);
  }
  const results = stored.map((result) => ({
    checkedAt: new Date(result.checkedAt).toISOString(),
    checkedBy: result.checkedBy === '' ? null : result.checkedBy,
    status: result.status,
    reason: result.reason,
    durationMs: result.durationMs,
    steps: result.steps,
  }));
  return json({ plane, limit, results });
}

function statusPage(status: StatusResponse, runbookUrl: string): RouteResponse {
  const nonce = randomBytes(16).toString('base64');
  return {
    status: 200,
    contentType: 'text/html; charset=utf-8',
    body: renderStatusPage(status, nonce, runbookUrl),
    headers: {
      'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      'referrer-policy': 'no-referrer',
    },
  };
}
