import type Database from 'better-sqlite3';
import {
  decodeSteps,
  encodeSteps,
  fromTenths,
  statusCode,
  statusFromCode,
  toTenths,
} from './history-codec.js';
import type { StoredResult } from '../check/stored-result.js';

type Db = Database.Database;

export const HOUR_MS = 3_600_000;

/**
 * The check history, compact, as migration 4 creates it (never edit it: version 5 adds to it, below): one
 * row of integers and a few bytes per check, keyed by plane and time with no rowid and no second index;
 * plane names and reasons are stored once each.
 * `check_hours` counts each plane's results per status per clock hour, written in the same transaction
 * as the results, so availability never scans a day of history.
 */
export const HISTORY_SCHEMA = `
  CREATE TABLE planes (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
  CREATE TABLE reasons (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
  CREATE TABLE check_history (
    plane_id INTEGER NOT NULL,
    checked_at INTEGER NOT NULL, -- epoch milliseconds
    status INTEGER NOT NULL, -- STATUS_CODES in history-codec.ts
    reason_id INTEGER,
    duration INTEGER NOT NULL, -- tenths of a millisecond
    steps BLOB NOT NULL, -- encodeSteps in history-codec.ts
    PRIMARY KEY (plane_id, checked_at)
  ) WITHOUT ROWID;
  CREATE TABLE check_hours (
    plane_id INTEGER NOT NULL,
    hour INTEGER NOT NULL, -- floor(epoch milliseconds / 3,600,000)
    healthy INTEGER NOT NULL,
    no_user INTEGER NOT NULL,
    no_oracle INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    PRIMARY KEY (hour, plane_id) -- an hour's counts side by side: a cycle's writes touch a few pages
  ) WITHOUT ROWID;`;

/**
 * Schema version 5: who checked. Instance names are stored once each, like plane names; a history row
 * names its instance by id, NULL for results stored before version 5 (read back with checkedBy '').
 * Adding a nullable column rewrites no rows.
 */
export const INSTANCES_SCHEMA = `
  CREATE TABLE instances (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
  ALTER TABLE check_history ADD COLUMN instance_id INTEGER;`;

/**
 * Which layout the tables have: 4 only while migration 4 fills them (the code of an old migration must
 * keep writing what that migration wrote), 5 from then on.
 */
export type HistoryLayout = 4 | 5;

export interface HealthyCounts {
  healthy: number;
  total: number;
}

interface HistoryRow {
  checked_at: number;
  instance_id: number | null;
  status: number;
  reason_id: number | null;
  duration: number;
  steps: Buffer;
}

interface CountsRow {
  planeId: number;
  healthy: number;
  total: number;
}

const HEALTHY = statusCode('HEALTHY');

/** Reads and writes the compact history tables. `append` expects to run inside the caller's transaction. */
export class SqliteHistory {
  readonly #insert: Database.Statement;
  readonly #addToHour: Database.Statement;
  readonly #select: Database.Statement<[number, number, number], HistoryRow>;
  readonly #hoursFrom: Database.Statement<[number, string], CountsRow>;
  readonly #between: Database.Statement<[string, number, number], CountsRow>;
  readonly #oldest: Database.Statement<
    [number, number],
    { planeId: number; checkedAt: number; status: number }
  >;
  readonly #deleteOne: Database.Statement<[number, number]>;
  readonly #dropEmptyHour: Database.Statement<[number, number]>;
  readonly #prune: (before: number, batchSize: number) => number;
  readonly #addPlane: Database.Statement<[string], { id: number }>;
  readonly #addReason: Database.Statement<[string], { id: number }>;
  readonly #allPlanes: Database.Statement<[], { id: number; name: string }>;
  readonly #allReasons: Database.Statement<[], { id: number; text: string }>;
  readonly #addInstance: Database.Statement<[string], { id: number }> | undefined;
  readonly #allInstances: Database.Statement<[], { id: number; name: string }> | undefined;
  readonly #planeIds = new Map<string, number>();
  readonly #planeNames = new Map<number, string>();
  readonly #reasonIds = new Map<string, number>();
  readonly #reasonTexts = new Map<number, string>();
  readonly #instanceIds = new Map<string, number>();
  readonly #instanceNames = new Map<number, string>();

  constructor(db: Db, layout: HistoryLayout = 5) {
    this.#insert = db.prepare(
      layout === 4
        ? `INSERT INTO check_history (plane_id, checked_at, status, reason_id, duration, steps)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
        : `INSERT INTO check_history (plane_id, checked_at, status, reason_id, duration, steps, instance_id)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    this.#addToHour = db.prepare(
      `INSERT INTO check_hours (plane_id, hour, healthy, no_user, no_oracle, failed) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (hour, plane_id) DO UPDATE SET healthy = healthy + excluded.healthy,
         no_user = no_user + excluded.no_user, no_oracle = no_oracle + excluded.no_oracle,
         failed = failed + excluded.failed`,
    );
    this.#select = db.prepare(
      `SELECT checked_at, status, reason_id, duration, steps, ${layout === 4 ? 'NULL' : 'instance_id'} AS instance_id
       FROM check_history WHERE plane_id = ? AND checked_at >= ? ORDER BY checked_at DESC LIMIT ?`,
    );
    this.#hoursFrom = db.prepare(
      `SELECT h.plane_id AS planeId, sum(h.healthy) AS healthy,
         sum(h.healthy + h.no_user + h.no_oracle + h.failed) AS total
       FROM check_hours h WHERE h.hour >= ? AND h.plane_id IN (SELECT value FROM json_each(?))
       GROUP BY h.plane_id`,
    );
    // The planes (a JSON array of ids) are the outer loop: one seek per plane into its results.
    this.#between = db.prepare(
      `SELECT j.value AS planeId, sum(r.status = ${HEALTHY}) AS healthy, count(*) AS total
       FROM json_each(?) j CROSS JOIN check_history r
         ON r.plane_id = j.value AND r.checked_at >= ? AND r.checked_at < ? GROUP BY j.value`,
    );
    this.#oldest = db.prepare(
      `SELECT r.plane_id AS planeId, r.checked_at AS checkedAt, r.status AS status
       FROM planes p CROSS JOIN check_history r ON r.plane_id = p.id AND r.checked_at < ? LIMIT ?`,
    );
    this.#deleteOne = db.prepare('DELETE FROM check_history WHERE plane_id = ? AND checked_at = ?');
    this.#dropEmptyHour = db.prepare(
      `DELETE FROM check_hours WHERE hour = ? AND plane_id = ?
         AND healthy = 0 AND no_user = 0 AND no_oracle = 0 AND failed = 0`,
    );
    this.#prune = db.transaction((before: number, batchSize: number) => {
      const doomed = this.#oldest.all(before, batchSize);
      const hours = new HourCounts();
      for (const row of doomed) {
        this.#deleteOne.run(row.planeId, row.checkedAt);
        hours.add(row.planeId, row.checkedAt, row.status, -1);
      }
      for (const [planeId, hour, counts] of hours.entries()) {
        this.#addToHour.run(planeId, hour, ...counts);
        this.#dropEmptyHour.run(hour, planeId);
      }
      return doomed.length;
    });
    this.#addPlane = db.prepare(
      'INSERT INTO planes (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id',
    );
    this.#addReason = db.prepare(
      'INSERT INTO reasons (text) VALUES (?) ON CONFLICT (text) DO UPDATE SET text = excluded.text RETURNING id',
    );
    this.#allPlanes = db.prepare('SELECT id, name FROM planes');
    this.#allReasons = db.prepare('SELECT id, text FROM reasons');
    if (layout >= 5) {
      this.#addInstance = db.prepare(
        'INSERT INTO instances (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id',
      );
      this.#allInstances = db.prepare('SELECT id, name FROM instances');
    }
    this.reload();
  }

  /** Reads the plane, reason and instance ids again: after a rolled-back write, ids handed out in it are void. */
  reload(): void {
    for (const map of [this.#planeIds, this.#planeNames, this.#reasonIds, this.#reasonTexts]) map.clear();
    this.#instanceIds.clear();
    this.#instanceNames.clear();
    for (const { id, name } of this.#allPlanes.all())
      this.#remember(this.#planeIds, this.#planeNames, name, id);
    for (const { id, text } of this.#allReasons.all())
      this.#remember(this.#reasonIds, this.#reasonTexts, text, id);
    for (const { id, name } of this.#allInstances?.all() ?? [])
      this.#remember(this.#instanceIds, this.#instanceNames, name, id);
  }

  /** Appends results in order and counts them into their hours. Run it inside a transaction. */
  append(results: readonly StoredResult[]): void {
    const hours = new HourCounts();
    for (const result of results) {
      const planeId = this.#planeId(result.plane);
      const code = statusCode(result.status);
      const reasonId = result.reason === null ? null : this.#reasonId(result.reason);
      const steps = encodeSteps(result.steps, (reason) => this.#reasonId(reason));
      const duration = toTenths(result.durationMs);
      const values = [code, reasonId, duration, steps, ...this.#instanceColumn(result.checkedBy)];
      // Two results of one plane in the same millisecond (a re-check racing a cycle): keep both.
      let checkedAt = result.checkedAt;
      while (this.#insert.run(planeId, checkedAt, ...values).changes === 0) checkedAt++;
      hours.add(planeId, checkedAt, code, 1);
    }
    for (const [planeId, hour, counts] of hours.entries()) this.#addToHour.run(planeId, hour, ...counts);
  }

  /** The plane's results, newest first, at most `limit`, checked at or after `since`. */
  recent(plane: string, limit: number, since: number): StoredResult[] {
    const planeId = this.#planeIds.get(plane);
    if (planeId === undefined) return [];
    return this.#select.all(planeId, since, limit).map((row) => ({
      plane,
      status: statusFromCode(row.status),
      reason: row.reason_id === null ? null : this.#reasonText(row.reason_id),
      checkedAt: row.checked_at,
      durationMs: fromTenths(row.duration),
      steps: decodeSteps(row.steps, (id) => this.#reasonText(id)),
      checkedBy: row.instance_id === null ? '' : this.#instanceName(row.instance_id),
    }));
  }

  /**
   * Per plane (all, or those named), HEALTHY and all results checked at or after `since`: whole hours
   * from `check_hours`, and the part of the first hour from the history itself, at most half an hour of
   * it (the hour's count minus what came before `since`, or what came after it, whichever is shorter).
   */
  availability(since: number, planes?: readonly string[]): Map<string, HealthyCounts> {
    const ids = JSON.stringify(
      planes === undefined
        ? [...this.#planeNames.keys()]
        : planes.flatMap((plane) => this.#planeIds.get(plane) ?? []),
    );
    const hour = Math.floor(since / HOUR_MS);
    const hourStart = hour * HOUR_MS;
    const byId = new Map<number, HealthyCounts>();
    const add = (rows: CountsRow[], sign: 1 | -1) => {
      for (const row of rows) {
        const counts = byId.get(row.planeId) ?? { healthy: 0, total: 0 };
        counts.healthy += sign * row.healthy;
        counts.total += sign * row.total;
        byId.set(row.planeId, counts);
      }
    };
    if ((since - hourStart) * 2 <= HOUR_MS) {
      add(this.#hoursFrom.all(hour, ids), 1);
      if (since > hourStart) add(this.#between.all(ids, hourStart, since), -1);
    } else {
      add(this.#hoursFrom.all(hour + 1, ids), 1);
      add(this.#between.all(ids, since, hourStart + HOUR_MS), 1);
    }
    const byPlane = new Map<string, HealthyCounts>();
    for (const [planeId, counts] of byId) {
      const plane = this.#planeNames.get(planeId);
      if (plane !== undefined && counts.total > 0) byPlane.set(plane, counts);
    }
    return byPlane;
  }

  /**
   * Deletes at most `batchSize` results older than `before`, oldest hours of each plane first, and takes
   * them off their hours' counts (an hour left with none goes), so the counts always match the history
   * kept. Returns how many results went.
   */
  prune(before: number, batchSize: number): number {
    return this.#prune(before, batchSize);
  }

  #planeId(plane: string): number {
    const known = this.#planeIds.get(plane);
    if (known !== undefined) return known;
    const id = returnedId(this.#addPlane.get(plane), 'plane');
    this.#remember(this.#planeIds, this.#planeNames, plane, id);
    return id;
  }

  #reasonId(reason: string): number {
    const known = this.#reasonIds.get(reason);
    if (known !== undefined) return known;
    const id = returnedId(this.#addReason.get(reason), 'reason');
    this.#remember(this.#reasonIds, this.#reasonTexts, reason, id);
    return id;
  }

  /** The instance_id column's value (none in layout 4); '' (unknown) is stored as NULL. */
  #instanceColumn(checkedBy: string): [] | [number | null] {
    if (this.#addInstance === undefined) return [];
    if (checkedBy === '') return [null];
    const known = this.#instanceIds.get(checkedBy);
    if (known !== undefined) return [known];
    const id = returnedId(this.#addInstance.get(checkedBy), 'instance');
    this.#remember(this.#instanceIds, this.#instanceNames, checkedBy, id);
    return [id];
  }

  #instanceName(id: number): string {
    const name = this.#instanceNames.get(id);
    if (name === undefined)
      throw new Error(`stored history names instance id ${id}, which is not in the database`);
    return name;
  }

  #reasonText(id: number): string {
    const text = this.#reasonTexts.get(id);
    if (text === undefined)
      throw new Error(`stored history names reason id ${id}, which is not in the database`);
    return text;
  }

  #remember(ids: Map<string, number>, names: Map<number, string>, name: string, id: number): void {
    ids.set(name, id);
    names.set(id, name);
  }
}

function returnedId(row: { id: number } | undefined, what: string): number {
  if (row === undefined) throw new Error(`storing a ${what} name returned no id`);
  return row.id;
}

/** Results counted per plane, clock hour and status code, to add to (or take off) `check_hours` at once. */
class HourCounts {
  readonly #byKey = new Map<string, [planeId: number, hour: number, counts: number[]]>();

  add(planeId: number, checkedAt: number, code: number, delta: 1 | -1): void {
    const hour = Math.floor(checkedAt / HOUR_MS);
    const key = `${planeId}:${hour}`;
    let entry = this.#byKey.get(key);
    if (entry === undefined) {
      entry = [planeId, hour, [0, 0, 0, 0]];
      this.#byKey.set(key, entry);
    }
    entry[2][code] = (entry[2][code] ?? 0) + delta;
  }

  entries(): IterableIterator<[planeId: number, hour: number, counts: number[]]> {
    return this.#byKey.values();
  }
}
