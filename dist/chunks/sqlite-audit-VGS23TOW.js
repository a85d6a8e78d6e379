import {
  settle
} from "./chunk-X4L55N5Q.js";

// src/store/sqlite-audit.ts
var SqliteAuditTrail = class {
  #record;
  #page;
  constructor(db) {
    const insert = db.prepare(
      `INSERT INTO audit_events (at, plane, kind, actor, reason, key)
       VALUES (@at, @plane, @kind, @actor, @reason, @key) ON CONFLICT (key) DO NOTHING`
    );
    this.#record = db.transaction((events) => {
      for (const event of events) {
        insert.run({
          at: event.at,
          plane: event.plane,
          kind: event.kind,
          actor: event.actor,
          reason: event.reason,
          key: event.key ?? null
        });
      }
    });
    this.#page = db.prepare(
      "SELECT id, at, plane, kind, actor, reason FROM audit_events WHERE id < ? ORDER BY id DESC LIMIT ?"
    );
  }
  record(events) {
    return settle(() => this.#record(events));
  }
  page(limit, before = Number.MAX_SAFE_INTEGER) {
    return settle(() => this.#page.all(before, limit).map((row) => ({ ...row })));
  }
};
export {
  SqliteAuditTrail
};
