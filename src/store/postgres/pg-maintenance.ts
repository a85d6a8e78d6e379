import type pg from 'pg';
import type { MaintenanceStore } from '../../maintenance/maintenance-store.js';
import type { PlaneMaintenance } from '../../maintenance/maintenance-window.js';

interface Row {
  plane: string;
  started_at: string;
  until: string;
  note: string;
  actor: string;
}

/** Run-time maintenance of a fleet in PostgreSQL (schema version 5): every replica reads the same rows. */
export class PostgresMaintenanceStore implements MaintenanceStore {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async start(maintenance: PlaneMaintenance): Promise<void> {
    await this.#pool.query(
      `INSERT INTO plane_maintenance (plane, started_at, until, note, actor) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (plane) DO UPDATE SET started_at = excluded.started_at, until = excluded.until,
         note = excluded.note, actor = excluded.actor`,
      [maintenance.plane, maintenance.startedAt, maintenance.until, maintenance.note, maintenance.actor],
    );
  }

  async end(plane: string, now: number): Promise<PlaneMaintenance | undefined> {
    const { rows } = await this.#pool.query<Row>(
      'DELETE FROM plane_maintenance WHERE plane = $1 RETURNING *',
      [plane],
    );
    const row = rows[0];
    return row && Number(row.until) > now ? fromRow(row) : undefined;
  }

  async active(now: number): Promise<PlaneMaintenance[]> {
    const { rows } = await this.#pool.query<Row>(
      'SELECT * FROM plane_maintenance WHERE until > $1 ORDER BY plane',
      [now],
    );
    return rows.map(fromRow);
  }

  async expire(now: number): Promise<PlaneMaintenance[]> {
    // Replicas expiring at once: the row lock makes each DELETE wait for the other, which then finds nothing.
    const { rows } = await this.#pool.query<Row>(
      'DELETE FROM plane_maintenance WHERE until <= $1 RETURNING *',
      [now],
    );
    return rows.map(fromRow).sort((a, b) => a.plane.localeCompare(b.plane));
  }
}

function fromRow(row: Row): PlaneMaintenance {
  return {
    plane: row.plane,
    startedAt: Number(row.started_at),
    until: Number(row.until),
    note: row.note,
    actor: row.actor,
  };
}
