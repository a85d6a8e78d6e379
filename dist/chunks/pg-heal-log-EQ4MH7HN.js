import {
  RESUMABLE_STATUSES
} from "./chunk-FBXHDZU2.js";
import {
  HEAL_LOCK_KEY,
  inTransaction
} from "./chunk-7QDIYDFD.js";
import "./chunk-F3KSDWOK.js";
import "./chunk-YBZLSVBB.js";

// src/store/postgres/pg-heal-log.ts
var HOUR_MS = 36e5;
var VIEW_ACTIONS = 20;
var COLUMNS = {
  reason: "reason",
  status: "status",
  runId: "run_id",
  runUrl: "run_url",
  conclusion: "conclusion",
  outcome: "outcome",
  error: "error",
  updatedAt: "updated_at",
  follower: "follower",
  followUntil: "follow_until"
};
var RESUMABLE = RESUMABLE_STATUSES.map((status) => `'${status}'`).join(", ");
async function openPostgresHealLog(pool, options = {}) {
  const log = new PostgresHealLog(pool, options);
  await log.refreshGithubBackoff();
  return log;
}
var PostgresHealLog = class {
  #pool;
  #onError;
  #pending = /* @__PURE__ */ new Set();
  /** A copy of the stored stop: every GitHub request and every scrape reads it. */
  #backoffUntil = 0;
  constructor(pool, options = {}) {
    this.#pool = pool;
    this.#onError = options.onError ?? (() => void 0);
  }
  async insertIf(plane, now, decide) {
    return inTransaction(this.#pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1)", [HEAL_LOCK_KEY.toString()]);
      const { rows } = await client.query(
        `SELECT a.*, (SELECT count(*)::int FROM heal_actions WHERE dispatched_at >= $3) AS attempts,
           (SELECT until FROM plane_maintenance WHERE plane = $1 AND until > $4) AS maintenance_until
         FROM (SELECT 1) one LEFT JOIN LATERAL (
           SELECT * FROM heal_actions WHERE plane = $1 ORDER BY dispatched_at DESC, id DESC LIMIT $2
         ) a ON true`,
        [plane, VIEW_ACTIONS, now - HOUR_MS, now]
      );
      const maintenanceUntil = rows[0]?.maintenance_until;
      const view = {
        actions: rows.filter((row) => row.id != null).map(fromRow),
        attemptsLastHour: rows[0]?.attempts ?? 0,
        maintenanceUntil: maintenanceUntil == null ? null : Number(maintenanceUntil)
      };
      const action = decide(view);
      if (action === void 0) return void 0;
      if (action.plane !== plane)
        throw new Error(`insertIf(${plane}): decide returned plane ${action.plane}`);
      const inserted = await client.query(
        `INSERT INTO heal_actions (plane, reason, correlation_id, dispatched_at, status, run_id, run_url,
           conclusion, outcome, error, updated_at, follower, follow_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
        [
          action.plane,
          action.reason,
          action.correlationId,
          action.dispatchedAt,
          action.status,
          action.runId,
          action.runUrl,
          action.conclusion,
          action.outcome,
          action.error,
          action.updatedAt,
          action.follower,
          action.followUntil
        ]
      );
      const id = inserted.rows[0]?.id;
      if (id === void 0) throw new Error("recording a heal action returned no id");
      return { ...action, id: Number(id) };
    });
  }
  async update(id, patch) {
    const entries = Object.entries(patch).filter(
      ([key, value]) => value !== void 0 && key in COLUMNS
    );
    if (entries.length === 0) return;
    const assignments = entries.map(([key], index) => `${COLUMNS[key]} = $${index + 2}`).join(", ");
    await this.#pool.query(`UPDATE heal_actions SET ${assignments} WHERE id = $1`, [
      id,
      ...entries.map(([, value]) => value)
    ]);
  }
  async forPlane(plane, limit) {
    const { rows } = await this.#pool.query(
      "SELECT * FROM heal_actions WHERE plane = $1 ORDER BY dispatched_at DESC, id DESC LIMIT $2",
      [plane, limit]
    );
    return rows.map(fromRow);
  }
  async recent(perPlane) {
    const { rows } = await this.#pool.query(
      `SELECT * FROM (
         SELECT *, row_number() OVER (PARTITION BY plane ORDER BY dispatched_at DESC, id DESC) AS rank
         FROM heal_actions
       ) ranked WHERE rank <= $1 ORDER BY plane, dispatched_at DESC, id DESC`,
      [perPlane]
    );
    return rows.map(fromRow);
  }
  async unfinished() {
    const { rows } = await this.#pool.query(
      `SELECT * FROM heal_actions WHERE outcome IS NULL AND status IN (${RESUMABLE}) ORDER BY id`
    );
    return rows.map(fromRow);
  }
  async takeOver(id, instance, now, until) {
    const { rowCount } = await this.#pool.query(
      `UPDATE heal_actions SET follower = $2, follow_until = $4
       WHERE id = $1 AND status IN (${RESUMABLE}) AND outcome IS NULL
         AND (follower IS NULL OR follower = $2 OR follow_until IS NULL OR follow_until < $3)`,
      [id, instance, now, until]
    );
    return rowCount === 1;
  }
  githubBackoffUntil() {
    return this.#backoffUntil;
  }
  /**
   * Holds the stop in memory at once (a failed write must not let requests through before the time) and
   * writes it in the background; a stored stop is never shortened, whichever replica writes.
   */
  stopGithubUntil(until) {
    const rounded = Math.round(until);
    this.#backoffUntil = Math.max(this.#backoffUntil, rounded);
    const write = this.#pool.query(
      `INSERT INTO github_backoff (id, until) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET until = GREATEST(github_backoff.until, excluded.until)`,
      [rounded]
    ).then(
      () => void 0,
      (error) => this.#onError(error instanceof Error ? error : new Error(String(error)))
    );
    this.#pending.add(write);
    void write.finally(() => this.#pending.delete(write));
  }
  async refreshGithubBackoff() {
    const { rows } = await this.#pool.query(
      "SELECT until FROM github_backoff WHERE id = 1"
    );
    const stored = Number(rows[0]?.until ?? 0);
    this.#backoffUntil = Math.max(this.#backoffUntil, stored);
  }
  /** Waits for the GitHub stops still being written (before the pool closes). */
  async flush() {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }
};
function fromRow(row) {
  return {
    id: Number(row.id),
    plane: row.plane,
    reason: row.reason,
    correlationId: row.correlation_id,
    dispatchedAt: Number(row.dispatched_at),
    status: row.status,
    runId: row.run_id === null ? null : Number(row.run_id),
    runUrl: row.run_url,
    conclusion: row.conclusion,
    outcome: row.outcome,
    error: row.error,
    updatedAt: Number(row.updated_at),
    follower: row.follower,
    followUntil: row.follow_until === null ? null : Number(row.follow_until)
  };
}
export {
  PostgresHealLog,
  openPostgresHealLog
};
