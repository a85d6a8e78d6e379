import {
  slotGraceMs
} from "./chunk-O22MDFKW.js";
import {
  FLEET_SCHEMA
} from "./chunk-7QDIYDFD.js";
import "./chunk-F3KSDWOK.js";
import "./chunk-YBZLSVBB.js";

// src/fleet/pg-fleet.ts
var PostgresFleet = class {
  #db;
  constructor(db) {
    this.#db = db;
  }
  async heartbeat(instance, liveWindowMs) {
    const { rows } = await this.#db.query(
      `WITH beat AS (
         INSERT INTO fleet_instances (instance, seen_at) VALUES ($1, now())
         ON CONFLICT (instance) DO UPDATE SET seen_at = now()
       )
       SELECT
         ARRAY(
           SELECT instance FROM fleet_instances
           WHERE seen_at > now() - $2 * interval '1 millisecond' OR instance = $1
           ORDER BY instance
         ) AS instances,
         (extract(epoch FROM now()) * 1000)::bigint AS now_ms`,
      [instance, liveWindowMs]
    );
    const row = rows[0];
    if (row === void 0) throw new Error("heartbeat returned no row");
    const instances = row.instances.includes(instance) ? row.instances : [...row.instances, instance].sort();
    return { instances, nowMs: Number(row.now_ms) };
  }
  async claim(planes, instance, slot, leaseMs) {
    if (planes.length === 0) return [];
    const { rows } = await this.#db.query(
      `INSERT INTO plane_claims (plane, slot, instance, lease_until, done)
       SELECT plane, $2, $3, now() + $4 * interval '1 millisecond', false FROM unnest($1::text[]) AS plane
       ON CONFLICT (plane) DO UPDATE
         SET slot = excluded.slot, instance = excluded.instance, lease_until = excluded.lease_until, done = false
         WHERE plane_claims.slot < excluded.slot
            OR (plane_claims.slot = excluded.slot AND NOT plane_claims.done AND plane_claims.lease_until < now())
       RETURNING plane`,
      [planes, slot, instance, leaseMs]
    );
    return rows.map((row) => row.plane);
  }
  async complete(planes, instance, slot) {
    if (planes.length === 0) return;
    await this.#db.query(
      `UPDATE plane_claims SET done = true
       WHERE plane = ANY($1::text[]) AND slot = $2 AND instance = $3`,
      [planes, slot, instance]
    );
  }
  async renew(instance, leaseMs) {
    await this.#db.query(
      `UPDATE plane_claims SET lease_until = now() + $2 * interval '1 millisecond'
       WHERE instance = $1 AND NOT done AND lease_until >= now()`,
      [instance, leaseMs]
    );
  }
  async rescue(instance, intervalMs, leaseMs) {
    const { rows } = await this.#db.query(
      `UPDATE plane_claims
         SET instance = $1, lease_until = now() + $3 * interval '1 millisecond'
       WHERE NOT done AND lease_until < now()
         AND slot = floor((extract(epoch FROM now()) * 1000 + $4) / $2::numeric)::bigint * $2::bigint
       RETURNING plane, slot`,
      [instance, intervalMs, leaseMs, slotGraceMs(intervalMs)]
    );
    const slot = rows[0] === void 0 ? -1 : Number(rows[0].slot);
    return { slot, planes: rows.map((row) => row.plane) };
  }
  async leave(instance) {
    await this.#db.query(
      `UPDATE plane_claims SET lease_until = now() - interval '1 millisecond'
       WHERE instance = $1 AND NOT done`,
      [instance]
    );
    await this.#db.query("DELETE FROM fleet_instances WHERE instance = $1", [instance]);
  }
};
export {
  FLEET_SCHEMA,
  PostgresFleet
};
