import type Database from 'better-sqlite3';
import type { AuditEvent, AuditTrail, NewAuditEvent } from '../audit/audit-trail.js';
import { settle } from './sqlite-maintenance.js';

interface Row {
  id: number;
  at: number;
  plane: string | null;
  kind: AuditEvent['kind'];
  actor: string;
  reason: string;
}

/** The audit trail in the daemon's SQLite database: `audit_events` (schema version 7). Answers at once. */
export class SqliteAuditTrail implements AuditTrail {
  readonly #record: (events: readonly NewAuditEvent[]) => void;
  readonly #page: Database.Statement<[number, number], Row>;

  constructor(db: Database.Database) {
    const insert = db.prepare(
      `INSERT INTO audit_events (at, plane, kind, actor, reason, key)
       VALUES (@at, @plane, @kind, @actor, @reason, @key) ON CONFLICT (key) DO NOTHING`,
    );
    this.#record = db.transaction((events: readonly NewAuditEvent[]) => {
      for (const event of events) {
        insert.run({
          at: event.at,
          plane: event.plane,
          kind: event.kind,
          actor: event.actor,
          reason: event.reason,
          key: event.key ?? null,
        });
      }
    });
    this.#page = db.prepare(
      'SELECT id, at, plane, kind, actor, reason FROM audit_events WHERE id < ? ORDER BY id DESC LIMIT ?',
    );
  }

  record(events: readonly NewAuditEvent[]): Promise<void> {
    return settle(() => this.#record(events));
  }

  page(limit: number, before = Number.MAX_SAFE_INTEGER): Promise<AuditEvent[]> {
    return settle(() => this.#page.all(before, limit).map((row) => ({ ...row })));
  }
}
