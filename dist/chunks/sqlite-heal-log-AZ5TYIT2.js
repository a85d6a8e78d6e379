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
  updatedAt: "updated_at",
  follower: "follower",
  followUntil: "follow_until"
};
var HOUR_MS = 36e5;
var VIEW_ACTIONS = 20;
var SqliteHealLog = class {
  #db;
  #insert;
  #forPlane;
  #recent;
  #unfinished;
  #attemptsSince;
  #maintenanceUntil;
  #takeOver;
  #stopUntil;
  #readStop;
  /** A copy of the stored stop: every GitHub request and every scrape reads it. */
  #backoffUntil;
  constructor(db) {
    this.#db = db;
    this.#stopUntil = db.prepare(
      `INSERT INTO github_backoff (id, until) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET until = max(until, excluded.until)`
    );
    this.#readStop = db.prepare("SELECT until FROM github_backoff WHERE id = 1");
    this.#backoffUntil = this.#readStop.get()?.until ?? 0;
    this.#insert = db.prepare(
      `INSERT INTO heal_actions (plane, reason, correlation_id, dispatched_at, status, run_id, run_url, conclusion,
         outcome, error, updated_at, follower, follow_until)
       VALUES (@plane, @reason, @correlation_id, @dispatched_at, @status, @run_id, @run_url, @conclusion, @outcome,
         @error, @updated_at, @follower, @follow_until)`
    );
    this.#forPlane = db.prepare(
      "SELECT * FROM heal_actions WHERE plane = ? ORDER BY dispatched_at DESC, id DESC LIMIT ?"
    );
    this.#recent = db.prepare(
      `SELECT * FROM (
         SELECT *, row_number() OVER (PARTITION BY plane ORDER BY dispatched_at DESC, id DESC) AS rank
         FROM heal_actions
       ) WHERE rank <= ? ORDER BY plane, dispatched_at DESC, id DESC`
    );
    const resumable = RESUMABLE_STATUSES.map((status) => `'${status}'`).join(", ");
    this.#unfinished = db.prepare(
      `SELECT * FROM heal_actions WHERE status IN (${resumable}) AND outcome IS NULL ORDER BY id`
    );
    this.#attemptsSince = db.prepare("SELECT count(*) AS n FROM heal_actions WHERE dispatched_at >= ?");
    this.#maintenanceUntil = db.prepare("SELECT until FROM plane_maintenance WHERE plane = ? AND until > ?");
    this.#takeOver = db.prepare(
      `UPDATE heal_actions SET follower = @instance, follow_until = @until
       WHERE id = @id AND status IN (${resumable}) AND outcome IS NULL
         AND (follower IS NULL OR follower = @instance OR follow_until IS NULL OR follow_until < @now)`
    );
  }
  insertIf(plane, now, decide) {
    return this.#answer(
      () => (
        // IMMEDIATE takes the write lock before reading: another connection deciding for the same plane waits
        // (busy_timeout) and then sees what this one recorded.
        this.#db.transaction(() => {
          const view = {
            actions: this.#forPlane.all(plane, VIEW_ACTIONS).map(fromRow),
            attemptsLastHour: this.#attemptsSince.get(now - HOUR_MS)?.n ?? 0,
            maintenanceUntil: this.#maintenanceUntil.get(plane, now)?.until ?? null
          };
          const action = decide(view);
          if (action === void 0) return void 0;
          if (action.plane !== plane)
            throw new Error(`insertIf(${plane}): decide returned plane ${action.plane}`);
          const info = this.#insert.run(toRow(action));
          return { ...action, id: Number(info.lastInsertRowid) };
        }).immediate()
      )
    );
  }
  update(id, patch) {
    return this.#answer(() => {
      const entries = Object.entries(patch).filter(([, value]) => value !== void 0);
      if (entries.length === 0) return;
      const assignments = entries.map(([key]) => `${COLUMNS[key]} = @${key}`).join(", ");
      this.#db.prepare(`UPDATE heal_actions SET ${assignments} WHERE id = @id`).run({ ...Object.fromEntries(entries), id });
    });
  }
  forPlane(plane, limit) {
    return this.#answer(() => this.#forPlane.all(plane, limit).map(fromRow));
  }
  recent(perPlane) {
    return this.#answer(() => this.#recent.all(perPlane).map(fromRow));
  }
  unfinished() {
    return this.#answer(() => this.#unfinished.all().map(fromRow));
  }
  takeOver(id, instance, now, until) {
    return this.#answer(() => this.#takeOver.run({ id, instance, now, until }).changes === 1);
  }
  refreshGithubBackoff() {
    return this.#answer(() => {
      this.#backoffUntil = Math.max(this.#backoffUntil, this.#readStop.get()?.until ?? 0);
    });
  }
  githubBackoffUntil() {
    return this.#backoffUntil;
  }
  stopGithubUntil(until) {
    this.#backoffUntil = Math.max(this.#backoffUntil, Math.round(until));
    this.#stopUntil.run(Math.round(until));
  }
  /** Runs synchronous SQLite work as the port's promise: a thrown error (busy, disk full) becomes a rejection. */
  #answer(work) {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
};
function toRow(action) {
  return {
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
    updated_at: action.updatedAt,
    follower: action.follower,
    follow_until: action.followUntil
  };
}
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
    updatedAt: row.updated_at,
    follower: row.follower,
    followUntil: row.follow_until
  };
}
export {
  SqliteHealLog
};
