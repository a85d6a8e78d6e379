import {
  RESUMABLE_STATUSES
} from "./chunk-FBXHDZU2.js";

// src/store/sqlite-heal-log.ts
var COLUMNS = {
  reason: "reason",
  status: "status",
  runId: "run_id",
  runUrl: "run_url",
  conclusion: "conclusion",
  outcome: "outcome",
  error: "error",
  updatedAt: "updated_at"
};
var SqliteHealLog = class {
  #db;
  #insert;
  #forPlane;
  #unfinished;
  #attemptsSince;
  #stopUntil;
  /** A copy of the stored stop: every GitHub request and every scrape reads it. */
  #backoffUntil;
  constructor(db) {
    this.#db = db;
    this.#stopUntil = db.prepare(
      `INSERT INTO github_backoff (id, until) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET until = max(until, excluded.until)`
    );
    const stored = db.prepare("SELECT until FROM github_backoff WHERE id = 1").get();
    this.#backoffUntil = stored?.until ?? 0;
    this.#insert = db.prepare(
      `INSERT INTO heal_actions (plane, reason, correlation_id, dispatched_at, status, run_id, run_url, conclusion,
         outcome, error, updated_at)
       VALUES (@plane, @reason, @correlation_id, @dispatched_at, @status, @run_id, @run_url, @conclusion, @outcome,
         @error, @updated_at)`
    );
    this.#forPlane = db.prepare(
      "SELECT * FROM heal_actions WHERE plane = ? ORDER BY dispatched_at DESC, id DESC LIMIT ?"
    );
    const resumable = RESUMABLE_STATUSES.map((status) => `'${status}'`).join(", ");
    this.#unfinished = db.prepare(
      `SELECT * FROM heal_actions WHERE status IN (${resumable}) AND outcome IS NULL ORDER BY id`
    );
    this.#attemptsSince = db.prepare("SELECT count(*) AS n FROM heal_actions WHERE dispatched_at >= ?");
  }
  insert(action) {
    const info = this.#insert.run({
      plane: action.plane,
      reason: action.reason,
      correlation_id: action.correlationId,
      dispatched_at: action.dispatchedAt,
      status: action.status,
      run_id: action.runId,
      run_url: action.runUrl,
      conclusion: action.conclusion,
      outcome: action.outcome,
      error: action.error,
      updated_at: action.updatedAt
    });
    return { ...action, id: Number(info.lastInsertRowid) };
  }
  update(id, patch) {
    const entries = Object.entries(patch).filter(([, value]) => value !== void 0);
    if (entries.length === 0) return;
    const assignments = entries.map(([key]) => `${COLUMNS[key]} = @${key}`).join(", ");
    this.#db.prepare(`UPDATE heal_actions SET ${assignments} WHERE id = @id`).run({ ...Object.fromEntries(entries), id });
  }
  forPlane(plane, limit) {
    return this.#forPlane.all(plane, limit).map(fromRow);
  }
  unfinished() {
    return this.#unfinished.all().map(fromRow);
  }
  attemptsSince(since) {
    return this.#attemptsSince.get(since)?.n ?? 0;
  }
  githubBackoffUntil() {
    return this.#backoffUntil;
  }
  stopGithubUntil(until) {
    this.#backoffUntil = Math.max(this.#backoffUntil, Math.round(until));
    this.#stopUntil.run(Math.round(until));
  }
};
function fromRow(row) {
  return {
    id: row.id,
    plane: row.plane,
    reason: row.reason,
    correlationId: row.correlation_id,
    dispatchedAt: row.dispatched_at,
    status: row.status,
    runId: row.run_id,
    runUrl: row.run_url,
    conclusion: row.conclusion,
    outcome: row.outcome,
    error: row.error,
    updatedAt: row.updated_at
  };
}
export {
  SqliteHealLog
};
