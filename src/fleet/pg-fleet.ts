import type { FleetCoordinator, Heartbeat } from './fleet-coordinator.js';
import { slotGraceMs } from './fleet-share.js';

/** What this module needs of a pg.Pool (or one client). */
export interface Queryable {
  query<Row extends object>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: Row[]; rowCount: number | null }>;
}

// The fleet's tables are a schema migration (src/store/postgres/pg-migrations.ts); re-exported for its tests.
export { FLEET_SCHEMA } from '../store/postgres/pg-migrations.js';

/**
 * Claims with a lease in PostgreSQL. A replica claims a plane for a slot when nobody holds it for that slot
 * yet, or when the holder's lease ran out before it finished (the holder died mid-check). All times are the
 * server's, so replicas whose clocks differ still agree on slots and leases.
 */
export class PostgresFleet implements FleetCoordinator {
  readonly #db: Queryable;

  constructor(db: Queryable) {
    this.#db = db;
  }

  async heartbeat(instance: string, liveWindowMs: number): Promise<Heartbeat> {
    const { rows } = await this.#db.query<{ instances: string[]; now_ms: string }>(
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
      [instance, liveWindowMs],
    );
    const row = rows[0];
    if (row === undefined) throw new Error('heartbeat returned no row');
    // The replica's own row is written by this same statement, which the subquery cannot see yet.
    const instances = row.instances.includes(instance) ? row.instances : [...row.instances, instance].sort();
    return { instances, nowMs: Number(row.now_ms) };
  }

  async claim(planes: readonly string[], instance: string, slot: number, leaseMs: number): Promise<string[]> {
    if (planes.length === 0) return [];
    const { rows } = await this.#db.query<{ plane: string }>(
      `INSERT INTO plane_claims (plane, slot, instance, lease_until, done)
       SELECT plane, $2, $3, now() + $4 * interval '1 millisecond', false FROM unnest($1::text[]) AS plane
       ON CONFLICT (plane) DO UPDATE
         SET slot = excluded.slot, instance = excluded.instance, lease_until = excluded.lease_until, done = false
         WHERE plane_claims.slot < excluded.slot
            OR (plane_claims.slot = excluded.slot AND NOT plane_claims.done AND plane_claims.lease_until < now())
       RETURNING plane`,
      [planes, slot, instance, leaseMs],
    );
    return rows.map((row) => row.plane);
  }

  async complete(planes: readonly string[], instance: string, slot: number): Promise<void> {
    if (planes.length === 0) return;
    await this.#db.query(
      `UPDATE plane_claims SET done = true
       WHERE plane = ANY($1::text[]) AND slot = $2 AND instance = $3`,
      [planes, slot, instance],
    );
  }

  async renew(instance: string, leaseMs: number): Promise<void> {
    await this.#db.query(
      `UPDATE plane_claims SET lease_until = now() + $2 * interval '1 millisecond'
       WHERE instance = $1 AND NOT done AND lease_until >= now()`,
      [instance, leaseMs],
    );
  }

  async rescue(
    instance: string,
    intervalMs: number,
    leaseMs: number,
  ): Promise<{ slot: number; planes: string[] }> {
    // The slot under way on the server's clock, as slotOf (fleet-share.ts) names it: its start in epoch ms.
    const { rows } = await this.#db.query<{ plane: string; slot: string }>(
      `UPDATE plane_claims
         SET instance = $1, lease_until = now() + $3 * interval '1 millisecond'
       WHERE NOT done AND lease_until < now()
         AND slot = floor((extract(epoch FROM now()) * 1000 + $4) / $2::numeric)::bigint * $2::bigint
       RETURNING plane, slot`,
      [instance, intervalMs, leaseMs, slotGraceMs(intervalMs)],
    );
    const slot = rows[0] === undefined ? -1 : Number(rows[0].slot);
    return { slot, planes: rows.map((row) => row.plane) };
  }

  async leave(instance: string): Promise<void> {
    // Unfinished claims go at once, so the others need not wait for the leases to run out.
    await this.#db.query(
      `UPDATE plane_claims SET lease_until = now() - interval '1 millisecond'
       WHERE instance = $1 AND NOT done`,
      [instance],
    );
    await this.#db.query('DELETE FROM fleet_instances WHERE instance = $1', [instance]);
  }
}
