import type pg from 'pg';
import { StoreError } from '../store-error.js';
import { inTransaction } from './pg-pool.js';

/**
 * The fleet's tables (migration 4): who is alive, and who checks which plane in which slot.
 * One claim row per plane, overwritten slot after slot, so the table never grows.
 */
export const FLEET_SCHEMA = `
  CREATE TABLE fleet_instances (
    instance TEXT PRIMARY KEY,
    started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    seen_at TIMESTAMPTZ NOT NULL
  );
  CREATE TABLE plane_claims (
    plane TEXT PRIMARY KEY,
    slot BIGINT NOT NULL,
    instance TEXT NOT NULL,
    lease_until TIMESTAMPTZ NOT NULL,
    done BOOLEAN NOT NULL DEFAULT false
  );`;

/**
 * The PostgreSQL schema, in order; `planecheck_schema.version` records how many ran. Never edit one: add
 * another. Times the check engine writes are epoch milliseconds (bigint), as in the SQLite store; times only
 * the server compares (`stored_at`, the fleet's leases) are the server's clock.
 */
export const PG_MIGRATIONS: readonly string[] = [
  // Results. `stored_at` is when the row last changed, on the server clock: the feed replicas poll.
  // `check_hours` counts each plane's results per clock hour, kept in the same transaction as the history.
  `CREATE TABLE latest_results (
     plane TEXT PRIMARY KEY,
     status TEXT NOT NULL,
     reason TEXT,
     checked_at BIGINT NOT NULL,
     duration_ms DOUBLE PRECISION NOT NULL,
     steps JSONB NOT NULL,
     checked_by TEXT NOT NULL,
     stored_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
   );
   CREATE INDEX latest_results_stored_at ON latest_results (stored_at);
   CREATE TABLE check_history (
     id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     plane TEXT NOT NULL,
     status TEXT NOT NULL,
     reason TEXT,
     checked_at BIGINT NOT NULL,
     duration_ms DOUBLE PRECISION NOT NULL,
     steps JSONB NOT NULL,
     checked_by TEXT NOT NULL
   );
   CREATE INDEX check_history_plane_time ON check_history (plane, checked_at);
   CREATE INDEX check_history_time ON check_history (checked_at);
   CREATE TABLE check_hours (
     plane TEXT NOT NULL,
     hour BIGINT NOT NULL,
     healthy INTEGER NOT NULL,
     total INTEGER NOT NULL,
     PRIMARY KEY (plane, hour)
   );
   CREATE INDEX check_hours_hour ON check_hours (hour);`,
  // Self-heal attempts; `follower` holds the lease on following a run to its outcome.
  `CREATE TABLE heal_actions (
     id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     plane TEXT NOT NULL,
     reason TEXT NOT NULL,
     correlation_id TEXT NOT NULL UNIQUE,
     dispatched_at BIGINT NOT NULL,
     status TEXT NOT NULL,
     run_id BIGINT,
     run_url TEXT,
     conclusion TEXT,
     outcome TEXT,
     error TEXT,
     updated_at BIGINT NOT NULL,
     follower TEXT,
     follow_until BIGINT
   );
   CREATE INDEX heal_actions_plane_time ON heal_actions (plane, dispatched_at);
   CREATE INDEX heal_actions_time ON heal_actions (dispatched_at);
   CREATE INDEX heal_actions_open ON heal_actions (id) WHERE outcome IS NULL;`,
  // Until when GitHub asked for no requests (epoch ms): one row for the fleet, kept across restarts.
  `CREATE TABLE github_backoff (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     until BIGINT NOT NULL
   );`,
  FLEET_SCHEMA,
  // Maintenance started at run time (one row per plane), and the audit trail (`key` drops repeats).
  `CREATE TABLE plane_maintenance (
     plane TEXT PRIMARY KEY,
     started_at BIGINT NOT NULL,
     until BIGINT NOT NULL,
     note TEXT NOT NULL,
     actor TEXT NOT NULL
   );
   CREATE TABLE audit_events (
     id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     at BIGINT NOT NULL,
     plane TEXT,
     kind TEXT NOT NULL,
     actor TEXT NOT NULL,
     reason TEXT NOT NULL,
     key TEXT UNIQUE
   );`,
];

/** Advisory lock keys: constants of our own (ASCII "planech\x01" and "planehea"), shared by every replica. */
export const MIGRATION_LOCK_KEY = 0x706c_616e_6563_6801n;
export const HEAL_LOCK_KEY = 0x706c_616e_6568_6561n;

/** The longest a migration, or the wait for another replica's, may take. */
const MIGRATION_TIMEOUT_MS = 5 * 60_000;

/** A query with the migration's client-side timeout (node-pg reads `query_timeout` per query; its types omit it). */
function longQuery(text: string, values: unknown[] = []): pg.QueryConfig {
  const config: pg.QueryConfig & { query_timeout: number } = {
    text,
    values,
    query_timeout: MIGRATION_TIMEOUT_MS + 2_000,
  };
  return config;
}

/**
 * Brings the database to the newest schema this build knows, one migration per transaction, each under a
 * transaction-scoped advisory lock, so replicas that start at the same moment apply each migration once and
 * wait for each other. A database from a newer planecheck is refused, unchanged.
 * Returns the schema version.
 */
export async function migrate(pool: pg.Pool, migrations: readonly string[] = PG_MIGRATIONS): Promise<number> {
  for (;;) {
    const step = await inTransaction(pool, async (client) => {
      // Waiting for another replica's migration (and a migration itself) may take longer than an ordinary
      // statement may: this transaction alone gets minutes, on the server and in the client.
      await client.query(`SET LOCAL statement_timeout = ${MIGRATION_TIMEOUT_MS}`);
      await client.query(longQuery('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY.toString()]));
      await client.query(
        `CREATE TABLE IF NOT EXISTS planecheck_schema (
           id INTEGER PRIMARY KEY CHECK (id = 1),
           version INTEGER NOT NULL
         )`,
      );
      const { rows } = await client.query<{ version: number }>(
        'SELECT version FROM planecheck_schema WHERE id = 1',
      );
      const version = rows[0]?.version ?? 0;
      if (version > migrations.length) {
        throw new StoreError(
          `the PostgreSQL database has schema version ${version}, newer than this planecheck supports ` +
            `(${migrations.length}): run a newer planecheck, or point storage.url at another database`,
        );
      }
      const migration = migrations[version];
      if (migration === undefined) return { done: true, version };
      await client.query(longQuery(migration));
      await client.query(
        `INSERT INTO planecheck_schema (id, version) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version`,
        [version + 1],
      );
      return { done: false, version: version + 1 };
    });
    if (step.done) return step.version;
  }
}
