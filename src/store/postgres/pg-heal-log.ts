import type pg from 'pg';
import { RESUMABLE_STATUSES, type HealAction } from '../../heal/heal-action.js';
import type { HealActionPatch, HealLog, HealLogView, NewHealAction } from '../../heal/heal-log.js';
import { HEAL_LOCK_KEY } from './pg-migrations.js';
import { inTransaction } from './pg-pool.js';

const HOUR_MS = 3_600_000;
/** What `decide` sees of a plane's past. */
const VIEW_ACTIONS = 20;

interface Row {
  id: string;
  plane: string;
  reason: HealAction['reason'];
  correlation_id: string;
  dispatched_at: string;
  status: HealAction['status'];
  run_id: string | null;
  run_url: string | null;
  conclusion: string | null;
  outcome: HealAction['outcome'];
  error: string | null;
  updated_at: string;
  follower: string | null;
  follow_until: string | null;
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

const RESUMABLE = RESUMABLE_STATUSES.map((status) => `'${status}'`).join(', ');

export interface PostgresHealLogOptions {
  /** A GitHub stop could not be written (it still holds in this replica's memory). */
  onError?: (error: Error) => void;
}

/**
 * Opens the fleet's heal log on `pool` (a migrated database; see openPostgresStore) and reads the stored
 * GitHub stop.
 */
export async function openPostgresHealLog(
  pool: pg.Pool,
  options: PostgresHealLogOptions = {},
): Promise<PostgresHealLog> {
  const log = new PostgresHealLog(pool, options);
  await log.refreshGithubBackoff();
  return log;
}

/**
 * The heal log of a fleet in PostgreSQL: `heal_actions` and the one-row `github_backoff`. Every dispatch
 * decision runs under one advisory lock, fleet-wide, since the hourly cap counts every plane's attempts.
 */
export class PostgresHealLog implements HealLog {
  readonly #pool: pg.Pool;
  readonly #onError: (error: Error) => void;
  readonly #pending = new Set<Promise<void>>();
  /** A copy of the stored stop: every GitHub request and every scrape reads it. */
  #backoffUntil = 0;

  constructor(pool: pg.Pool, options: PostgresHealLogOptions = {}) {
    this.#pool = pool;
    this.#onError = options.onError ?? (() => undefined);
  }

  async insertIf(
    plane: string,
    now: number,
    decide: (view: HealLogView) => NewHealAction | undefined,
  ): Promise<HealAction | undefined> {
    return inTransaction(this.#pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [HEAL_LOCK_KEY.toString()]);
      const { rows } = await client.query<Row & { attempts: number; maintenance_until: string | null }>(
        `SELECT a.*, (SELECT count(*)::int FROM heal_actions WHERE dispatched_at >= $3) AS attempts,
           (SELECT until FROM plane_maintenance WHERE plane = $1 AND until > $4) AS maintenance_until
         FROM (SELECT 1) one LEFT JOIN LATERAL (
           SELECT * FROM heal_actions WHERE plane = $1 ORDER BY dispatched_at DESC, id DESC LIMIT $2
         ) a ON true`,
        [plane, VIEW_ACTIONS, now - HOUR_MS, now],
      );
      const maintenanceUntil = rows[0]?.maintenance_until;
      const view: HealLogView = {
        actions: rows.filter((row) => row.id != null).map(fromRow),
        attemptsLastHour: rows[0]?.attempts ?? 0,
        maintenanceUntil: maintenanceUntil == null ? null : Number(maintenanceUntil),
      };
      const action = decide(view);
      if (action === undefined) return undefined;
      if (action.plane !== plane)
        throw new Error(`insertIf(${plane}): decide returned plane ${action.plane}`);
      const inserted = await client.query<{ id: string }>(
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
          action.followUntil,
        ],
      );
      const id = inserted.rows[0]?.id;
      if (id === undefined) throw new Error('recording a heal action returned no id');
      return { ...action, id: Number(id) };
    });
  }

  async update(id: number, patch: HealActionPatch): Promise<void> {
    const entries = (Object.entries(patch) as [keyof HealActionPatch, unknown][]).filter(
      ([key, value]) => value !== undefined && key in COLUMNS,
    );
    if (entries.length === 0) return;
    const assignments = entries.map(([key], index) => `${COLUMNS[key]} = $${index + 2}`).join(', ');
    await this.#pool.query(`UPDATE heal_actions SET ${assignments} WHERE id = $1`, [
      id,
      ...entries.map(([, value]) => value),
    ]);
  }

  async forPlane(plane: string, limit: number): Promise<HealAction[]> {
    const { rows } = await this.#pool.query<Row>(
      'SELECT * FROM heal_actions WHERE plane = $1 ORDER BY dispatched_at DESC, id DESC LIMIT $2',
      [plane, limit],
    );
    return rows.map(fromRow);
  }

  async recent(perPlane: number): Promise<HealAction[]> {
    const { rows } = await this.#pool.query<Row>(
      `SELECT * FROM (
         SELECT *, row_number() OVER (PARTITION BY plane ORDER BY dispatched_at DESC, id DESC) AS rank
         FROM heal_actions
       ) ranked WHERE rank <= $1 ORDER BY plane, dispatched_at DESC, id DESC`,
      [perPlane],
    );
    return rows.map(fromRow);
  }

  async unfinished(): Promise<HealAction[]> {
    const { rows } = await this.#pool.query<Row>(
      `SELECT * FROM heal_actions WHERE outcome IS NULL AND status IN (${RESUMABLE}) ORDER BY id`,
    );
    return rows.map(fromRow);
  }

  async takeOver(id: number, instance: string, now: number, until: number): Promise<boolean> {
    // One statement, so two replicas cannot both win: the row lock decides. An attempt that is over is never
    // taken: a replica acting on an old list of unfinished attempts must not follow it again.
    const { rowCount } = await this.#pool.query(
      `UPDATE heal_actions SET follower = $2, follow_until = $4
       WHERE id = $1 AND status IN (${RESUMABLE}) AND outcome IS NULL
         AND (follower IS NULL OR follower = $2 OR follow_until IS NULL OR follow_until < $3)`,
      [id, instance, now, until],
    );
    return rowCount === 1;
  }

  githubBackoffUntil(): number {
    return this.#backoffUntil;
  }

  /**
   * Holds the stop in memory at once (a failed write must not let requests through before the time) and
   * writes it in the background; a stored stop is never shortened, whichever replica writes.
   */
  stopGithubUntil(until: number): void {
    const rounded = Math.round(until);
    this.#backoffUntil = Math.max(this.#backoffUntil, rounded);
    const write = this.#pool
      .query(
        `INSERT INTO github_backoff (id, until) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET until = GREATEST(github_backoff.until, excluded.until)`,
        [rounded],
      )
      .then(
        () => undefined,
        (error: unknown) => this.#onError(error instanceof Error ? error : new Error(String(error))),
      );
    this.#pending.add(write);
    void write.finally(() => this.#pending.delete(write));
  }

  async refreshGithubBackoff(): Promise<void> {
    const { rows } = await this.#pool.query<{ until: string }>(
      'SELECT until FROM github_backoff WHERE id = 1',
    );
    const stored = Number(rows[0]?.until ?? 0);
    this.#backoffUntil = Math.max(this.#backoffUntil, stored);
  }

  /** Waits for the GitHub stops still being written (before the pool closes). */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }
}

function fromRow(row: Row): HealAction {
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
    followUntil: row.follow_until === null ? null : Number(row.follow_until),
  };
}
