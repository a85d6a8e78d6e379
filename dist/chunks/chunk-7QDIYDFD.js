import {
  StoreError
} from "./chunk-F3KSDWOK.js";
import {
  redactStorageUrl,
  storageUrlProblem,
  storageUrlSecrets
} from "./chunk-YBZLSVBB.js";

// src/store/postgres/pg-pool.ts
import pg from "pg";
var STATEMENT_TIMEOUT_MS = 1e4;
var IDLE_IN_TRANSACTION_TIMEOUT_MS = 15e3;
var CONNECT_TIMEOUT_MS = 5e3;
var POOL_MAX = 4;
function openPool(url, options = {}) {
  const problem = storageUrlProblem(url);
  if (problem !== void 0) throw new StoreError(`storage.url: ${problem}`);
  const statementTimeout = options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: url,
    application_name: "planecheck",
    max: options.max ?? POOL_MAX,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 3e4,
    // A server that vanished without closing (a failover, a cut) is noticed on idle connections too.
    keepAlive: true,
    statement_timeout: statementTimeout,
    idle_in_transaction_session_timeout: Math.max(IDLE_IN_TRANSACTION_TIMEOUT_MS, statementTimeout + 1e3),
    // Past the server's own limit: this one only fires when the server (or the network) stopped answering.
    query_timeout: statementTimeout + 2e3
  });
  const onError = options.onError ?? (() => void 0);
  pool.on("error", (error) => onError(redactError(error, url)));
  return pool;
}
function serverAddress(url) {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || "localhost"}:${parsed.port || "5432"}`;
  } catch {
    return "(unparsable storage.url)";
  }
}
function redactSecret(text, url) {
  let clean = url === "" ? text : text.split(url).join(redactStorageUrl(url));
  for (const secret of storageUrlSecrets(url)) {
    for (const form of /* @__PURE__ */ new Set([secret, encodeURIComponent(secret), safeDecode(secret)])) {
      if (form.length > 0) clean = clean.split(form).join("***");
    }
  }
  return clean;
}
function redactError(error, url) {
  const message = redactSecret(error.message, url);
  if (message === error.message) return error;
  const clean = new Error(message);
  clean.name = error.name;
  return clean;
}
function describeError(error) {
  if (!(error instanceof Error)) return String(error);
  if (error.message !== "") return error.message;
  const inner = error instanceof AggregateError ? error.errors : [];
  const messages = inner.map((item) => item instanceof Error ? item.message : String(item)).filter(Boolean);
  if (messages.length > 0) return [...new Set(messages)].join("; ");
  const code = error.code;
  return typeof code === "string" ? code : error.name;
}
function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
async function inTransaction(pool, work) {
  const client = await pool.connect();
  let broken;
  const onError = (error) => broken = error;
  client.on("error", onError);
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    if (!isServerError(error)) broken ??= error instanceof Error ? error : new Error(String(error));
    await client.query("ROLLBACK").catch((rollbackError) => {
      broken ??= rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.off("error", onError);
    client.release(broken ?? false);
  }
}
function isServerError(error) {
  const code = error?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code);
}

// src/store/postgres/pg-migrations.ts
var FLEET_SCHEMA = `
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
var PG_MIGRATIONS = [
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
   );`
];
var MIGRATION_LOCK_KEY = 0x706c616e65636801n;
var HEAL_LOCK_KEY = 0x706c616e65686561n;
var MIGRATION_TIMEOUT_MS = 5 * 6e4;
function longQuery(text, values = []) {
  const config = {
    text,
    values,
    query_timeout: MIGRATION_TIMEOUT_MS + 2e3
  };
  return config;
}
async function migrate(pool, migrations = PG_MIGRATIONS) {
  for (; ; ) {
    const step = await inTransaction(pool, async (client) => {
      await client.query(`SET LOCAL statement_timeout = ${MIGRATION_TIMEOUT_MS}`);
      await client.query(longQuery("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY.toString()]));
      await client.query(
        `CREATE TABLE IF NOT EXISTS planecheck_schema (
           id INTEGER PRIMARY KEY CHECK (id = 1),
           version INTEGER NOT NULL
         )`
      );
      const { rows } = await client.query(
        "SELECT version FROM planecheck_schema WHERE id = 1"
      );
      const version = rows[0]?.version ?? 0;
      if (version > migrations.length) {
        throw new StoreError(
          `the PostgreSQL database has schema version ${version}, newer than this planecheck supports (${migrations.length}): run a newer planecheck, or point storage.url at another database`
        );
      }
      const migration = migrations[version];
      if (migration === void 0) return { done: true, version };
      await client.query(longQuery(migration));
      await client.query(
        `INSERT INTO planecheck_schema (id, version) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version`,
        [version + 1]
      );
      return { done: false, version: version + 1 };
    });
    if (step.done) return step.version;
  }
}

export {
  STATEMENT_TIMEOUT_MS,
  openPool,
  serverAddress,
  redactSecret,
  describeError,
  inTransaction,
  FLEET_SCHEMA,
  HEAL_LOCK_KEY,
  migrate
};
