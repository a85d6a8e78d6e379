import type Database from 'better-sqlite3';
import { RESUMABLE_STATUSES, type HealAction } from '../heal/heal-action.js';
import type { HealActionPatch, HealLog, HealLogView, NewHealAction } from '../heal/heal-log.js';

interface Row {
  id: number;
  plane: string;
  reason: HealAction['reason'];
  correlation_id: string;
  dispatched_at: number;
  status: HealAction['status'];
  run_id: number | null;
  run_url: string | null;
  conclusion: string | null;
  outcome: HealAction['outcome'];
  error: string | null;
  updated_at: number;
  follower: string | null;
  follow_until: number | null;
}

const COLUMNS: Record<keyof HealActionPatch, string> = {
  reason: 'reason',
  status: 'status',
  runId: 'run_id',
  runUrl: 'run_url',
  conclusion: 'conclusion',
  outcome: 'outcome',
  error: 'error',
  updatedAt: 'updated_at',
  follower: 'follower',
  followUntil: 'follow_until',
};

const HOUR_MS = 3_600_000;
/** How many of a plane's newest actions a dispatch decision sees (see HealLogView). */
const VIEW_ACTIONS = 20;

/**
 * The heal log in the daemon's SQLite database: the `heal_actions` table (schema version 2, follow lease
 * columns added later) and the one-row `github_backoff` table (version 3). Every method answers at once
 * (better-sqlite3 is synchronous); a failure is a rejection, as the port says.
 */
export class SqliteHealLog implements HealLog {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  readonly #forPlane: Database.Statement<[string, number], Row>;
  readonly #recent: Database.Statement<[number], Row>;
  readonly #unfinished: Database.Statement<[], Row>;
  readonly #attemptsSince: Database.Statement<[number], { n: number }>;
  readonly #maintenanceUntil: Database.Statement<[string, number], { until: number }>;
  readonly #takeOver: Database.Statement<[{ id: number; instance: string; now: number; until: number }]>;
  readonly #stopUntil: Database.Statement<[number]>;
  readonly #readStop: Database.Statement<[], { until: number }>;
  /** A copy of the stored stop: every GitHub request and every scrape reads it. */
  #backoffUntil: number;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#stopUntil = db.prepare(
      `INSERT INTO github_backoff (id, until) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET until = max(until, excluded.until)`,
    );
    this.#readStop = db.prepare('SELECT until FROM github_backoff WHERE id = 1');
    this.#backoffUntil = this.#readStop.get()?.until ?? 0;
    this.#insert = db.prepare(
      `INSERT INTO heal_actions (plane, reason, correlation_id, dispatched_at, status, run_id, run_url, conclusion,
         outcome, error, updated_at, follower, follow_until)
       VALUES (@plane, @reason, @correlation_id, @dispatched_at, @status, @run_id, @run_url, @conclusion, @outcome,
         @error, @updated_at, @follower, @follow_until)`,
    );
    this.#forPlane = db.prepare(
      'SELECT * FROM heal_actions WHERE plane = ? ORDER BY dispatched_at DESC, id DESC LIMIT ?',
    );
    this.#recent = db.prepare(
      `SELECT * FROM (
         SELECT *, row_number() OVER (PARTITION BY plane ORDER BY dispatched_at DESC, id DESC) AS rank
         FROM heal_actions
       ) WHERE rank <= ? ORDER BY plane, dispatched_at DESC, id DESC`,
    );
    const resumable = RESUMABLE_STATUSES.map((status) => `'${status}'`).join(', ');
    this.#unfinished = db.prepare(
      `SELECT * FROM heal_actions WHERE status IN (${resumable}) AND outcome IS NULL ORDER BY id`,
    );
    this.#attemptsSince = db.prepare('SELECT count(*) AS n FROM heal_actions WHERE dispatched_at >= ?');
    this.#maintenanceUntil = db.prepare('SELECT until FROM plane_maintenance WHERE plane = ? AND until > ?');
    // One statement, so two replicas cannot both win: the row's own write lock decides. An attempt that is
    // over is never taken: a replica acting on an old list of unfinished attempts must not follow it again.
    this.#takeOver = db.prepare(
      `UPDATE heal_actions SET follower = @instance, follow_until = @until
       WHERE id = @id AND status IN (${resumable}) AND outcome IS NULL
         AND (follower IS NULL OR follower = @instance OR follow_until IS NULL OR follow_until < @now)`,
    );
  }

  insertIf(
    plane: string,
    now: number,
    decide: (view: HealLogView) => NewHealAction | undefined,
  ): Promise<HealAction | undefined> {
    return this.#answer(() =>
      // IMMEDIATE takes the write lock before reading: another connection deciding for the same plane waits
      // (busy_timeout) and then sees what this one recorded.
      this.#db
        .transaction(() => {
          const view: HealLogView = {
            actions: this.#forPlane.all(plane, VIEW_ACTIONS).map(fromRow),
            attemptsLastHour: this.#attemptsSince.get(now - HOUR_MS)?.n ?? 0,
            maintenanceUntil: this.#maintenanceUntil.get(plane, now)?.until ?? null,
          };
          const action = decide(view);
          if (action === undefined) return undefined;
          if (action.plane !== plane)
            throw new Error(`insertIf(${plane}): decide returned plane ${action.plane}`);
          const info = this.#insert.run(toRow(action));
          return { ...action, id: Number(info.lastInsertRowid) };
        })
        .immediate(),
    );
  }

  update(id: number, patch: HealActionPatch): Promise<void> {
    return this.#answer(() => {
      const entries = Object.entries(patch).filter(([, value]) => value !== undefined) as [
        keyof HealActionPatch,
        unknown,
      ][];
      if (entries.length === 0) return;
      const assignments = entries.map(([key]) => `${COLUMNS[key]} = @${key}`).join(', ');
      this.#db
        .prepare(`UPDATE heal_actions SET ${assignments} WHERE id = @id`)
        .run({ ...Object.fromEntries(entries), id });
    });
  }

  forPlane(plane: string, limit: number): Promise<HealAction[]> {
    return this.#answer(() => this.#forPlane.all(plane, limit).map(fromRow));
  }

  recent(perPlane: number): Promise<HealAction[]> {
    return this.#answer(() => this.#recent.all(perPlane).map(fromRow));
  }

  unfinished(): Promise<HealAction[]> {
    return this.#answer(() => this.#unfinished.all().map(fromRow));
  }

  takeOver(id: number, instance: string, now: number, until: number): Promise<boolean> {
    return this.#answer(() => this.#takeOver.run({ id, instance, now, until }).changes === 1);
  }

  refreshGithubBackoff(): Promise<void> {
    return this.#answer(() => {
      this.#backoffUntil = Math.max(this.#backoffUntil, this.#readStop.get()?.until ?? 0);
    });
  }

  githubBackoffUntil(): number {
    return this.#backoffUntil;
  }

  stopGithubUntil(until: number): void {
    // Held in memory first: a failed write must not let requests through before the time.
    this.#backoffUntil = Math.max(this.#backoffUntil, Math.round(until));
    this.#stopUntil.run(Math.round(until));
  }

  /** Runs synchronous SQLite work as the port's promise: a thrown error (busy, disk full) becomes a rejection. */
  #answer<T>(work: () => T): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

function toRow(action: NewHealAction): Record<string, unknown> {
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
    follow_until: action.followUntil,
  };
}

function fromRow(row: Row): HealAction {
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
    followUntil: row.follow_until,
  };
}
