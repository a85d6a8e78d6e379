import type pg from 'pg';
import type { AuditEvent, AuditTrail, NewAuditEvent } from '../../audit/audit-trail.js';

interface Row {
  id: string;
  at: string;
  plane: string | null;
  kind: AuditEvent['kind'];
  actor: string;
  reason: string;
}

/** The audit trail of a fleet in PostgreSQL: `audit_events` (schema version 5), shared by every replica. */
export class PostgresAuditTrail implements AuditTrail {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async record(events: readonly NewAuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    // One statement: the batch is stored whole or not at all; a key stored already drops its event.
    await this.#pool.query(
      `INSERT INTO audit_events (at, plane, kind, actor, reason, key)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
       ON CONFLICT (key) DO NOTHING`,
      [
        events.map((event) => event.at),
        events.map((event) => event.plane),
        events.map((event) => event.kind),
        events.map((event) => event.actor),
        events.map((event) => event.reason),
        events.map((event) => event.key ?? null),
      ],
    );
  }

  async page(limit: number, before = Number.MAX_SAFE_INTEGER): Promise<AuditEvent[]> {
    const { rows } = await this.#pool.query<Row>(
      'SELECT id, at, plane, kind, actor, reason FROM audit_events WHERE id < $1 ORDER BY id DESC LIMIT $2',
      [before, limit],
    );
    return rows.map((row) => ({ ...row, id: Number(row.id), at: Number(row.at) }));
  }
}
