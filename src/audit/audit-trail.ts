/** What happened: a self-heal dispatch, hold or outcome, or a maintenance change. */
export const AUDIT_KINDS = [
  'maintenance_start',
  'maintenance_end',
  'dispatch',
  'dry_run',
  'dispatch_failed',
  'outcome',
  'hold_start',
  'hold_end',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export interface AuditEvent {
  /** Increases with every event stored: the page cursor. */
  id: number;
  /** Epoch ms. */
  at: number;
  /** Null for fleet-wide events (a mass-incident hold). */
  plane: string | null;
  kind: AuditKind;
  /** `config`, `api:<user>` / `api:bearer` / `api:loopback`, or `daemon:<instance>`. */
  actor: string;
  reason: string;
}

export type NewAuditEvent = Omit<AuditEvent, 'id'> & {
  /**
   * Events that several replicas (or a restart) see alike, such as a configured window starting, carry a
   * key: an event whose key is stored already is dropped, so it is recorded once.
   */
  key?: string;
};

/**
 * The audit trail: who did what to which plane, and why. The port lives here; SQLite
 * (src/store/sqlite-audit.ts) and PostgreSQL (src/store/postgres/pg-audit.ts) implement it.
 */
export interface AuditTrail {
  record(events: readonly NewAuditEvent[]): Promise<void>;
  /** Newest first, at most `limit`, only events with an id below `before` when given (the next page). */
  page(limit: number, before?: number): Promise<AuditEvent[]>;
}
