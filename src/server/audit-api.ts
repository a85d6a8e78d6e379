import type { AuditEvent } from '../audit/audit-trail.js';
import { json, type Route } from './http-server.js';

export const AUDIT_DEFAULT_LIMIT = 100;
export const AUDIT_MAX_LIMIT = 1_000;

/**
 * `GET /api/v1/audit?limit=N&before=ID`: the audit trail newest first, a page at a time. `next` is the URL
 * of the following (older) page, null on the last.
 */
export function auditRoute(page: (limit: number, before?: number) => Promise<AuditEvent[]>): Route {
  return async (url) => {
    const rawLimit = url.searchParams.get('limit');
    const rawBefore = url.searchParams.get('before');
    let limit = AUDIT_DEFAULT_LIMIT;
    if (rawLimit !== null) {
      if (!/^\d+$/.test(rawLimit) || Number(rawLimit) < 1)
        return json({ error: 'limit must be a whole number from 1' }, 400);
      limit = Math.min(Number(rawLimit), AUDIT_MAX_LIMIT);
    }
    let before: number | undefined;
    if (rawBefore !== null) {
      if (!/^\d{1,15}$/.test(rawBefore) || Number(rawBefore) < 1)
        return json(
          { error: 'before must be an event id (a whole number from 1), as in the next link' },
          400,
        );
      before = Number(rawBefore);
    }
    let events: AuditEvent[];
    try {
      events = await page(limit, before);
    } catch (error) {
      const cause = error instanceof Error ? error.message : String(error);
      return json({ error: `the store did not answer: ${cause}` }, 503);
    }
    const last = events.at(-1);
    return json({
      limit,
      events: events.map((event) => ({
        id: event.id,
        at: new Date(event.at).toISOString(),
        plane: event.plane,
        kind: event.kind,
        actor: event.actor,
        reason: event.reason,
      })),
      next: events.length === limit && last ? `/api/v1/audit?limit=${limit}&before=${last.id}` : null,
    });
  };
}
