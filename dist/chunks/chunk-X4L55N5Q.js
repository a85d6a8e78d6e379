// src/store/sqlite-maintenance.ts
var MAINTENANCE_SCHEMA = `
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
var SqliteMaintenanceStore = class {
  #start;
  #end;
  #active;
  #expire;
  constructor(db) {
    this.#start = db.prepare(
      `INSERT INTO plane_maintenance (plane, started_at, until, note, actor)
       VALUES (@plane, @started_at, @until, @note, @actor)
       ON CONFLICT (plane) DO UPDATE SET started_at = excluded.started_at, until = excluded.until,
         note = excluded.note, actor = excluded.actor`
    );
    this.#end = db.prepare("DELETE FROM plane_maintenance WHERE plane = ? RETURNING *");
    this.#active = db.prepare("SELECT * FROM plane_maintenance WHERE until > ? ORDER BY plane");
    this.#expire = db.prepare("DELETE FROM plane_maintenance WHERE until <= ? RETURNING *");
  }
  start(maintenance) {
    return settle(() => {
      this.#start.run({
        plane: maintenance.plane,
        started_at: maintenance.startedAt,
        until: maintenance.until,
        note: maintenance.note,
        actor: maintenance.actor
      });
    });
  }
  end(plane, now) {
    return settle(() => {
      const row = this.#end.get(plane);
      return row && row.until > now ? fromRow(row) : void 0;
    });
  }
  active(now) {
    return settle(() => this.#active.all(now).map(fromRow));
  }
  expire(now) {
    return settle(
      () => this.#expire.all(now).map(fromRow).sort((a, b) => a.plane.localeCompare(b.plane))
    );
  }
};
function fromRow(row) {
  return { plane: row.plane, startedAt: row.started_at, until: row.until, note: row.note, actor: row.actor };
}
function settle(work) {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

export {
  MAINTENANCE_SCHEMA,
  SqliteMaintenanceStore,
  settle
};
