import type Database from 'better-sqlite3';
import type { MaintenanceStore } from '../maintenance/maintenance-store.js';
import type { PlaneMaintenance } from '../maintenance/maintenance-window.js';

/** Migration 7's tables, frozen: run-time maintenance (one row per plane) and the audit trail. */
export const MAINTENANCE_SCHEMA = `
  CREATE TABLE plane_maintenance (
    plane TEXT PRIMARY KEY,
    started_at INTEGER NOT NULL,
    until INTEGER NOT NULL,
    note TEXT NOT NULL,
    actor TEXT NOT NULL
  );
  CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    plane TEXT,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    key TEXT UNIQUE
  );`;

interface Row {
  plane: string;
  started_at: number;
  until: number;
  note: string;
  actor: string;
}

/** Run-time maintenance in the daemon's SQLite database (schema version 7). Answers at once. */
export class SqliteMaintenanceStore implements MaintenanceStore {
  readonly #start: Database.Statement<[Row]>;
  readonly #end: Database.Statement<[string], Row>;
  readonly #active: Database.Statement<[number], Row>;
  readonly #expire: Database.Statement<[number], Row>;

  constructor(db: Database.Database) {
    this.#start = db.prepare(
      `INSERT INTO plane_maintenance (plane, started_at, until, note, actor)
       VALUES (@plane, @started_at, @until, @note, @actor)
       ON CONFLICT (plane) DO UPDATE SET started_at = excluded.started_at, until = excluded.until,
         note = excluded.note, actor = excluded.actor`,
    );
    this.#end = db.prepare('DELETE FROM plane_maintenance WHERE plane = ? RETURNING *');
    this.#active = db.prepare('SELECT * FROM plane_maintenance WHERE until > ? ORDER BY plane');
    this.#expire = db.prepare('DELETE FROM plane_maintenance WHERE until <= ? RETURNING *');
  }

  start(maintenance: PlaneMaintenance): Promise<void> {
    return settle(() => {
      this.#start.run({
        plane: maintenance.plane,
        started_at: maintenance.startedAt,
        until: maintenance.until,
        note: maintenance.note,
        actor: maintenance.actor,
      });
    });
  }

  end(plane: string, now: number): Promise<PlaneMaintenance | undefined> {
    return settle(() => {
      const row = this.#end.get(plane);
      return row && row.until > now ? fromRow(row) : undefined;
    });
  }

  active(now: number): Promise<PlaneMaintenance[]> {
    return settle(() => this.#active.all(now).map(fromRow));
  }

  expire(now: number): Promise<PlaneMaintenance[]> {
    return settle(() =>
      this.#expire
        .all(now)
        .map(fromRow)
        .sort((a, b) => a.plane.localeCompare(b.plane)),
    );
  }
}

function fromRow(row: Row): PlaneMaintenance {
  return { plane: row.plane, startedAt: row.started_at, until: row.until, note: row.note, actor: row.actor };
}

/** Runs synchronous driver work now; what it returns or throws becomes the port's settled promise. */
export function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
