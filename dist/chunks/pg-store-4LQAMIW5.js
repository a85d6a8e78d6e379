import {
  STATEMENT_TIMEOUT_MS,
  describeError,
  inTransaction,
  migrate,
  openPool,
  redactSecret,
  serverAddress
} from "./chunk-7QDIYDFD.js";
import {
  StoreError
} from "./chunk-F3KSDWOK.js";
import "./chunk-YBZLSVBB.js";

// src/store/postgres/pg-store.ts
var HOUR_MS = 36e5;
async function openPostgresStore(url, options = {}) {
  const pool = openPool(url, options);
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => void 0);
    if (error instanceof StoreError) throw error;
    const cause = redactSecret(describeError(error), url);
    throw new StoreError(`cannot use PostgreSQL at ${serverAddress(url)} (storage.url): ${cause}`);
  }
  return new PostgresResultStore(pool, options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS);
}
var COLUMNS = "plane, status, reason, checked_at, duration_ms, steps, checked_by";
var unnestColumns = (first) => `unnest($${first}::text[], $${first + 1}::text[], $${first + 2}::text[], $${first + 3}::bigint[],
     $${first + 4}::float8[], $${first + 5}::jsonb[], $${first + 6}::text[])`;
var PostgresResultStore = class {
  #pool;
  /** How far before its cursor the feed looks again: longer than any write can take from stamp to commit. */
  #feedOverlapMs;
  constructor(pool, statementTimeoutMs = STATEMENT_TIMEOUT_MS) {
    this.#pool = pool;
    this.#feedOverlapMs = statementTimeoutMs + 2e3;
  }
  /** The connection pool, shared with the heal log and the fleet's claims. */
  get pool() {
    return this.#pool;
  }
  async saveResults(results) {
    if (results.length === 0) return;
    const latest = /* @__PURE__ */ new Map();
    for (const result of results) {
      const held = latest.get(result.plane);
      if (held === void 0 || held.checkedAt <= result.checkedAt) latest.set(result.plane, result);
    }
    const hours = /* @__PURE__ */ new Map();
    for (const result of results) {
      const hour = Math.floor(result.checkedAt / HOUR_MS);
      const key = `${hour}:${result.plane}`;
      const counts = hours.get(key) ?? [result.plane, hour, 0, 0];
      if (result.status === "HEALTHY") counts[2]++;
      counts[3]++;
      hours.set(key, counts);
    }
    const hourRows = [...hours.values()];
    await this.#pool.query(
      `WITH history AS (
         INSERT INTO check_history (${COLUMNS}) SELECT * FROM ${unnestColumns(1)}
       ), hours AS (
         INSERT INTO check_hours (plane, hour, healthy, total)
         SELECT * FROM unnest($8::text[], $9::bigint[], $10::int[], $11::int[]) ORDER BY 1, 2
         ON CONFLICT (plane, hour) DO UPDATE
           SET healthy = check_hours.healthy + excluded.healthy, total = check_hours.total + excluded.total
       )
       INSERT INTO latest_results (${COLUMNS}, stored_at)
       SELECT *, clock_timestamp() FROM ${unnestColumns(12)} ORDER BY 1
       ON CONFLICT (plane) DO UPDATE
         SET status = excluded.status, reason = excluded.reason, checked_at = excluded.checked_at,
           duration_ms = excluded.duration_ms, steps = excluded.steps, checked_by = excluded.checked_by,
           stored_at = clock_timestamp()
         WHERE latest_results.checked_at <= excluded.checked_at`,
      [
        ...toColumns(results),
        hourRows.map((row) => row[0]),
        hourRows.map((row) => row[1]),
        hourRows.map((row) => row[2]),
        hourRows.map((row) => row[3]),
        ...toColumns([...latest.values()])
      ]
    );
  }
  async latestResults() {
    const { rows } = await this.#pool.query(`SELECT ${COLUMNS} FROM latest_results ORDER BY plane`);
    return rows.map(fromRow);
  }
  async history(plane, limit, since = 0) {
    const { rows } = await this.#pool.query(
      `SELECT ${COLUMNS} FROM check_history WHERE plane = $1 AND checked_at >= $2
       ORDER BY checked_at DESC, id DESC LIMIT $3`,
      [plane, since, limit]
    );
    return rows.map(fromRow);
  }
  /**
   * Whole hours from `check_hours`, and the part of the first hour from the history itself, at most half an
   * hour of it (the hour's count minus what came before `since`, or what came after it, whichever is shorter).
   */
  async availability(since, planes) {
    const hour = Math.floor(since / HOUR_MS);
    const hourStart = hour * HOUR_MS;
    const [fromHour, from, to, sign] = (since - hourStart) * 2 <= HOUR_MS ? [hour, hourStart, since, -1] : [hour + 1, since, hourStart + HOUR_MS, 1];
    const { rows } = await this.#pool.query(
      `SELECT plane, sum(healthy)::float8 AS healthy, sum(total)::float8 AS total FROM (
         SELECT plane, healthy, total FROM check_hours
         WHERE hour >= $1 AND ($5::text[] IS NULL OR plane = ANY($5::text[]))
         UNION ALL
         SELECT plane, $4 * count(*) FILTER (WHERE status = 'HEALTHY'), $4 * count(*) FROM check_history
         WHERE checked_at >= $2 AND checked_at < $3 AND ($5::text[] IS NULL OR plane = ANY($5::text[]))
         GROUP BY plane
       ) counts GROUP BY plane HAVING sum(total) > 0`,
      [fromHour, from, to, sign, planes ?? null]
    );
    return new Map(rows.map((row) => [row.plane, { healthy: row.healthy, total: row.total }]));
  }
  /**
   * Deletes the oldest results before `before`, at most `batchSize`, and takes them off their hours' counts
   * (an hour left with none goes). Rows another replica is pruning at the same moment are skipped, not
   * counted twice.
   */
  async pruneHistory(before, batchSize) {
    return inTransaction(this.#pool, async (client) => {
      const { rows } = await client.query(
        `WITH doomed AS (
           DELETE FROM check_history WHERE id IN (
             SELECT id FROM check_history WHERE checked_at < $1 ORDER BY checked_at LIMIT $2
             FOR UPDATE SKIP LOCKED
           ) RETURNING plane, checked_at, status
         ), counts AS (
           SELECT plane, checked_at / ${HOUR_MS} AS hour,
             count(*) FILTER (WHERE status = 'HEALTHY')::int AS healthy, count(*)::int AS total
           FROM doomed GROUP BY 1, 2 ORDER BY 1, 2
         ), updated AS (
           UPDATE check_hours h SET healthy = h.healthy - c.healthy, total = h.total - c.total
           FROM counts c WHERE h.plane = c.plane AND h.hour = c.hour
           RETURNING h.plane, h.hour, h.total
         )
         SELECT (SELECT count(*) FROM doomed)::int AS deleted,
           coalesce((SELECT array_agg(plane) FROM updated WHERE total <= 0), '{}') AS planes,
           coalesce((SELECT array_agg(hour::text) FROM updated WHERE total <= 0), '{}') AS hours`,
        [before, batchSize]
      );
      const row = rows[0];
      if (row === void 0) throw new Error("pruning returned no row");
      if (row.planes.length > 0) {
        await client.query(
          `DELETE FROM check_hours WHERE (plane, hour) IN (SELECT * FROM unnest($1::text[], $2::bigint[]))
             AND total <= 0`,
          [row.planes, row.hours]
        );
      }
      return row.deleted;
    });
  }
  /**
   * Latest results stored (on the server clock) since the cursor, looking back by more than any write can
   * take to commit: a write stamped before the previous poll but committed after it is still seen.
   */
  async latestChangedSince(cursor) {
    const { rows } = await this.#pool.query(
      `WITH now AS MATERIALIZED (SELECT clock_timestamp() AS t)
       SELECT to_char(now.t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor, l.*
       FROM now LEFT JOIN latest_results l
         ON $1::timestamptz IS NULL OR l.stored_at >= $1::timestamptz - $2 * interval '1 millisecond'`,
      [cursor, this.#feedOverlapMs]
    );
    const next = rows[0]?.cursor;
    if (next === void 0) throw new Error("the feed query returned no row");
    const results = rows.filter((row) => row.plane != null).map(fromRow);
    return { results, cursor: next };
  }
  async close() {
    await this.#pool.end();
  }
};
function toColumns(results) {
  return [
    results.map((result) => result.plane),
    results.map((result) => result.status),
    results.map((result) => result.reason),
    results.map((result) => result.checkedAt),
    results.map((result) => result.durationMs),
    results.map((result) => JSON.stringify(result.steps)),
    results.map((result) => result.checkedBy)
  ];
}
function fromRow(row) {
  return {
    plane: row.plane,
    status: row.status,
    reason: row.reason,
    checkedAt: Number(row.checked_at),
    durationMs: row.duration_ms,
    steps: Array.isArray(row.steps) ? row.steps : [],
    checkedBy: row.checked_by
  };
}
export {
  PostgresResultStore,
  openPostgresStore
};
