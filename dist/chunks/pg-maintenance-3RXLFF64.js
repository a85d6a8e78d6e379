// src/store/postgres/pg-maintenance.ts
var PostgresMaintenanceStore = class {
  #pool;
  constructor(pool) {
    this.#pool = pool;
  }
  async start(maintenance) {
    await this.#pool.query(
      `INSERT INTO plane_maintenance (plane, started_at, until, note, actor) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (plane) DO UPDATE SET started_at = excluded.started_at, until = excluded.until,
         note = excluded.note, actor = excluded.actor`,
      [maintenance.plane, maintenance.startedAt, maintenance.until, maintenance.note, maintenance.actor]
    );
  }
  async end(plane, now) {
    const { rows } = await this.#pool.query(
      "DELETE FROM plane_maintenance WHERE plane = $1 RETURNING *",
      [plane]
    );
    const row = rows[0];
    return row && Number(row.until) > now ? fromRow(row) : void 0;
  }
  async active(now) {
    const { rows } = await this.#pool.query(
      "SELECT * FROM plane_maintenance WHERE until > $1 ORDER BY plane",
      [now]
    );
    return rows.map(fromRow);
  }
  async expire(now) {
    const { rows } = await this.#pool.query(
      "DELETE FROM plane_maintenance WHERE until <= $1 RETURNING *",
      [now]
    );
    return rows.map(fromRow).sort((a, b) => a.plane.localeCompare(b.plane));
  }
};
function fromRow(row) {
  return {
    plane: row.plane,
    startedAt: Number(row.started_at),
    until: Number(row.until),
    note: row.note,
    actor: row.actor
  };
}
export {
  PostgresMaintenanceStore
};
