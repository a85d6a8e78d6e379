// src/store/postgres/pg-audit.ts
var PostgresAuditTrail = class {
  #pool;
  constructor(pool) {
    this.#pool = pool;
  }
  async record(events) {
    if (events.length === 0) return;
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
        events.map((event) => event.key ?? null)
      ]
    );
  }
  async page(limit, before = Number.MAX_SAFE_INTEGER) {
    const { rows } = await this.#pool.query(
      "SELECT id, at, plane, kind, actor, reason FROM audit_events WHERE id < $1 ORDER BY id DESC LIMIT $2",
      [before, limit]
    );
    return rows.map((row) => ({ ...row, id: Number(row.id), at: Number(row.at) }));
  }
};
export {
  PostgresAuditTrail
};
