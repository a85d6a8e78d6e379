import type Database from 'better-sqlite3';
import type { GithubBackoffStore } from '../github/rate-limit-stop.js';
import { RESUMABLE_STATUSES, type HealAction } from '../heal/heal-action.js';

export type NewHealAction = Omit<HealAction, 'id'>;
export type HealActionPatch = Partial<Omit<HealAction, 'id' | 'plane' | 'correlationId' | 'dispatchedAt'>>;

/**
 * Self-heal attempts, persisted so that a restart never re-dispatches inside the cooldown; and the time
 * GitHub asked for no requests until, so that a restart never ends a rate-limit stop early.
 */
export interface HealLog extends GithubBackoffStore {
  insert(action: NewHealAction): HealAction;
  update(id: number, patch: HealActionPatch): void;
  /** Newest first. */
  forPlane(plane: string, limit: number): HealAction[];
  unfinished(): HealAction[];
  attemptsSince(since: number): number;
}

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
};

/**
 * The heal log in the daemon's SQLite database: the `heal_actions` table (schema version 2) and the
 * one-row `github_backoff` table (version 3).
 */
export class SqliteHealLog implements HealLog {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  readonly #forPlane: Database.Statement<[string, number], Row>;
  readonly #unfinished: Database.Statement<[], Row>;
  readonly #attemptsSince: Database.Statement<[number], { n: number }>;
  readonly #stopUntil: Database.Statement<[number]>;
  /** A copy of the stored stop: every GitHub request and every scrape reads it. */
  #backoffUntil: number;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#stopUntil = db.prepare(
      `INSERT INTO github_backoff (id, until) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET until = max(until, excluded.until)`,
    );
    const stored = db.prepare('SELECT until FROM github_backoff WHERE id = 1').get() as
      { until: number } | undefined;
    this.#backoffUntil = stored?.until ?? 0;
    this.#insert = db.prepare(
      `INSERT INTO heal_actions (plane, reason, correlation_id, dispatched_at, status, run_id, run_url, conclusion,
         outcome, error, updated_at)
       VALUES (@plane, @reason, @correlation_id, @dispatched_at, @status, @run_id, @run_url, @conclusion, @outcome,
         @error, @updated_at)`,
    );
    this.#forPlane = db.prepare(
      'SELECT * FROM heal_actions WHERE plane = ? ORDER BY dispatched_at DESC, id DESC LIMIT ?',
    );
    const resumable = RESUMABLE_STATUSES.map((status) => `'${status}'`).join(', ');
    this.#unfinished = db.prepare(
      `SELECT * FROM heal_actions WHERE status IN (${resumable}) AND outcome IS NULL ORDER BY id`,
    );
    this.#attemptsSince = db.prepare('SELECT count(*) AS n FROM heal_actions WHERE dispatched_at >= ?');
  }

  insert(action: NewHealAction): HealAction {
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
      updated_at: action.updatedAt,
    });
    return { ...action, id: Number(info.lastInsertRowid) };
  }

  update(id: number, patch: HealActionPatch): void {
    const entries = Object.entries(patch).filter(([, value]) => value !== undefined) as [
      keyof HealActionPatch,
      unknown,
    ][];
    if (entries.length === 0) return;
    const assignments = entries.map(([key]) => `${COLUMNS[key]} = @${key}`).join(', ');
    this.#db
      .prepare(`UPDATE heal_actions SET ${assignments} WHERE id = @id`)
      .run({ ...Object.fromEntries(entries), id });
  }

  forPlane(plane: string, limit: number): HealAction[] {
    return this.#forPlane.all(plane, limit).map(fromRow);
  }

  unfinished(): HealAction[] {
    return this.#unfinished.all().map(fromRow);
  }

  attemptsSince(since: number): number {
    return this.#attemptsSince.get(since)?.n ?? 0;
  }

  githubBackoffUntil(): number {
    return this.#backoffUntil;
  }

  stopGithubUntil(until: number): void {
    // Held in memory first: a failed write must not let requests through before the time.
    this.#backoffUntil = Math.max(this.#backoffUntil, Math.round(until));
    this.#stopUntil.run(Math.round(until));
  }
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
  };
}
