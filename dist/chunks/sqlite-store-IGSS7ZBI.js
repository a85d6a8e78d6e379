import {
  MAINTENANCE_SCHEMA
} from "./chunk-X4L55N5Q.js";
import {
  STEP_NAMES
} from "./chunk-NF23GUGB.js";
import {
  StoreError
} from "./chunk-F3KSDWOK.js";

// src/store/sqlite-store.ts
import Database from "better-sqlite3";
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { dirname } from "node:path";

// src/store/history-codec.ts
var STATUS_CODES = ["HEALTHY", "NO_USER", "NO_ORACLE", "FAILED"];
var OUTCOMES = ["ok", "not_found", "failed"];
var HAS_REASON = 16;
var HAS_DETAIL = 32;
function statusCode(status) {
  return STATUS_CODES.indexOf(status);
}
function statusFromCode(code) {
  const status = STATUS_CODES[code];
  if (status === void 0) throw new Error(`unknown stored status code ${code}`);
  return status;
}
function toTenths(ms) {
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms * 10) : 0;
}
function fromTenths(tenths) {
  return tenths / 10;
}
function encodeSteps(steps, reasonId) {
  const bytes = [];
  for (const step of steps) {
    const stepIndex = STEP_NAMES.indexOf(step.step);
    const outcomeIndex = OUTCOMES.indexOf(step.outcome);
    if (stepIndex < 0) throw new Error(`cannot store step "${String(step.step)}": unknown step name`);
    if (outcomeIndex < 0) throw new Error(`cannot store step outcome "${String(step.outcome)}"`);
    const hasReason = step.reason !== void 0;
    const hasDetail = step.detail !== void 0;
    bytes.push(stepIndex | outcomeIndex << 2 | (hasReason ? HAS_REASON : 0) | (hasDetail ? HAS_DETAIL : 0));
    pushVarint(bytes, toTenths(step.durationMs));
    if (step.reason !== void 0) pushVarint(bytes, reasonId(step.reason));
    if (step.detail !== void 0) {
      const detail = Buffer.from(step.detail, "utf8");
      pushVarint(bytes, detail.length);
      for (const byte of detail) bytes.push(byte);
    }
  }
  return Buffer.from(bytes);
}
function decodeSteps(blob, reasonText) {
  const steps = [];
  const at = { offset: 0 };
  while (at.offset < blob.length) {
    const head = blob[at.offset++] ?? 0;
    const step = STEP_NAMES[head & 3];
    const outcome = OUTCOMES[head >> 2 & 3];
    if (step === void 0 || outcome === void 0) throw new Error(`corrupt stored steps (byte ${head})`);
    const report = { step, outcome, durationMs: fromTenths(readVarint(blob, at)) };
    if (head & HAS_REASON) report.reason = reasonText(readVarint(blob, at));
    if (head & HAS_DETAIL) {
      const length = readVarint(blob, at);
      if (at.offset + length > blob.length) throw new Error("corrupt stored steps (truncated detail)");
      report.detail = Buffer.from(blob.buffer, blob.byteOffset + at.offset, length).toString("utf8");
      at.offset += length;
    }
    steps.push(report);
  }
  return steps;
}
function pushVarint(bytes, value) {
  let rest = value;
  while (rest >= 128) {
    bytes.push(rest % 128 | 128);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
}
function readVarint(blob, at) {
  let value = 0;
  let scale = 1;
  for (; ; ) {
    const byte = blob[at.offset++];
    if (byte === void 0) throw new Error("corrupt stored steps (truncated number)");
    value += (byte & 127) * scale;
    if (byte < 128) return value;
    scale *= 128;
  }
}

// src/store/sqlite-history.ts
var HOUR_MS = 36e5;
var HISTORY_SCHEMA = `
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
var INSTANCES_SCHEMA = `
  CREATE TABLE instances (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
  ALTER TABLE check_history ADD COLUMN instance_id INTEGER;`;
var HEALTHY = statusCode("HEALTHY");
var SqliteHistory = class {
  #insert;
  #addToHour;
  #select;
  #hoursFrom;
  #between;
  #oldest;
  #deleteOne;
  #dropEmptyHour;
  #prune;
  #addPlane;
  #addReason;
  #allPlanes;
  #allReasons;
  #addInstance;
  #allInstances;
  #planeIds = /* @__PURE__ */ new Map();
  #planeNames = /* @__PURE__ */ new Map();
  #reasonIds = /* @__PURE__ */ new Map();
  #reasonTexts = /* @__PURE__ */ new Map();
  #instanceIds = /* @__PURE__ */ new Map();
  #instanceNames = /* @__PURE__ */ new Map();
  constructor(db, layout = 5) {
    this.#insert = db.prepare(
      layout === 4 ? `INSERT INTO check_history (plane_id, checked_at, status, reason_id, duration, steps)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING` : `INSERT INTO check_history (plane_id, checked_at, status, reason_id, duration, steps, instance_id)
           VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
    );
    this.#addToHour = db.prepare(
      `INSERT INTO check_hours (plane_id, hour, healthy, no_user, no_oracle, failed) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (hour, plane_id) DO UPDATE SET healthy = healthy + excluded.healthy,
         no_user = no_user + excluded.no_user, no_oracle = no_oracle + excluded.no_oracle,
         failed = failed + excluded.failed`
    );
    this.#select = db.prepare(
      `SELECT checked_at, status, reason_id, duration, steps, ${layout === 4 ? "NULL" : "instance_id"} AS instance_id
       FROM check_history WHERE plane_id = ? AND checked_at >= ? ORDER BY checked_at DESC LIMIT ?`
    );
    this.#hoursFrom = db.prepare(
      `SELECT h.plane_id AS planeId, sum(h.healthy) AS healthy,
         sum(h.healthy + h.no_user + h.no_oracle + h.failed) AS total
       FROM check_hours h WHERE h.hour >= ? AND h.plane_id IN (SELECT value FROM json_each(?))
       GROUP BY h.plane_id`
    );
    this.#between = db.prepare(
      `SELECT j.value AS planeId, sum(r.status = ${HEALTHY}) AS healthy, count(*) AS total
       FROM json_each(?) j CROSS JOIN check_history r
         ON r.plane_id = j.value AND r.checked_at >= ? AND r.checked_at < ? GROUP BY j.value`
    );
    this.#oldest = db.prepare(
      `SELECT r.plane_id AS planeId, r.checked_at AS checkedAt, r.status AS status
       FROM planes p CROSS JOIN check_history r ON r.plane_id = p.id AND r.checked_at < ? LIMIT ?`
    );
    this.#deleteOne = db.prepare("DELETE FROM check_history WHERE plane_id = ? AND checked_at = ?");
    this.#dropEmptyHour = db.prepare(
      `DELETE FROM check_hours WHERE hour = ? AND plane_id = ?
         AND healthy = 0 AND no_user = 0 AND no_oracle = 0 AND failed = 0`
    );
    this.#prune = db.transaction((before, batchSize) => {
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
      "INSERT INTO planes (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id"
    );
    this.#addReason = db.prepare(
      "INSERT INTO reasons (text) VALUES (?) ON CONFLICT (text) DO UPDATE SET text = excluded.text RETURNING id"
    );
    this.#allPlanes = db.prepare("SELECT id, name FROM planes");
    this.#allReasons = db.prepare("SELECT id, text FROM reasons");
    if (layout >= 5) {
      this.#addInstance = db.prepare(
        "INSERT INTO instances (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id"
      );
      this.#allInstances = db.prepare("SELECT id, name FROM instances");
    }
    this.reload();
  }
  /** Reads the plane, reason and instance ids again: after a rolled-back write, ids handed out in it are void. */
  reload() {
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
  append(results) {
    const hours = new HourCounts();
    for (const result of results) {
      const planeId = this.#planeId(result.plane);
      const code = statusCode(result.status);
      const reasonId = result.reason === null ? null : this.#reasonId(result.reason);
      const steps = encodeSteps(result.steps, (reason) => this.#reasonId(reason));
      const duration = toTenths(result.durationMs);
      const values = [code, reasonId, duration, steps, ...this.#instanceColumn(result.checkedBy)];
      let checkedAt = result.checkedAt;
      while (this.#insert.run(planeId, checkedAt, ...values).changes === 0) checkedAt++;
      hours.add(planeId, checkedAt, code, 1);
    }
    for (const [planeId, hour, counts] of hours.entries()) this.#addToHour.run(planeId, hour, ...counts);
  }
  /** The plane's results, newest first, at most `limit`, checked at or after `since`. */
  recent(plane, limit, since) {
    const planeId = this.#planeIds.get(plane);
    if (planeId === void 0) return [];
    return this.#select.all(planeId, since, limit).map((row) => ({
      plane,
      status: statusFromCode(row.status),
      reason: row.reason_id === null ? null : this.#reasonText(row.reason_id),
      checkedAt: row.checked_at,
      durationMs: fromTenths(row.duration),
      steps: decodeSteps(row.steps, (id) => this.#reasonText(id)),
      checkedBy: row.instance_id === null ? "" : this.#instanceName(row.instance_id)
    }));
  }
  /**
   * Per plane (all, or those named), HEALTHY and all results checked at or after `since`: whole hours
   * from `check_hours`, and the part of the first hour from the history itself, at most half an hour of
   * it (the hour's count minus what came before `since`, or what came after it, whichever is shorter).
   */
  availability(since, planes) {
    const ids = JSON.stringify(
      planes === void 0 ? [...this.#planeNames.keys()] : planes.flatMap((plane) => this.#planeIds.get(plane) ?? [])
    );
    const hour = Math.floor(since / HOUR_MS);
    const hourStart = hour * HOUR_MS;
    const byId = /* @__PURE__ */ new Map();
    const add = (rows, sign) => {
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
    const byPlane = /* @__PURE__ */ new Map();
    for (const [planeId, counts] of byId) {
      const plane = this.#planeNames.get(planeId);
      if (plane !== void 0 && counts.total > 0) byPlane.set(plane, counts);
    }
    return byPlane;
  }
  /**
   * Deletes at most `batchSize` results older than `before`, oldest hours of each plane first, and takes
   * them off their hours' counts (an hour left with none goes), so the counts always match the history
   * kept. Returns how many results went.
   */
  prune(before, batchSize) {
    return this.#prune(before, batchSize);
  }
  #planeId(plane) {
    const known = this.#planeIds.get(plane);
    if (known !== void 0) return known;
    const id = returnedId(this.#addPlane.get(plane), "plane");
    this.#remember(this.#planeIds, this.#planeNames, plane, id);
    return id;
  }
  #reasonId(reason) {
    const known = this.#reasonIds.get(reason);
    if (known !== void 0) return known;
    const id = returnedId(this.#addReason.get(reason), "reason");
    this.#remember(this.#reasonIds, this.#reasonTexts, reason, id);
    return id;
  }
  /** The instance_id column's value (none in layout 4); '' (unknown) is stored as NULL. */
  #instanceColumn(checkedBy) {
    if (this.#addInstance === void 0) return [];
    if (checkedBy === "") return [null];
    const known = this.#instanceIds.get(checkedBy);
    if (known !== void 0) return [known];
    const id = returnedId(this.#addInstance.get(checkedBy), "instance");
    this.#remember(this.#instanceIds, this.#instanceNames, checkedBy, id);
    return [id];
  }
  #instanceName(id) {
    const name = this.#instanceNames.get(id);
    if (name === void 0)
      throw new Error(`stored history names instance id ${id}, which is not in the database`);
    return name;
  }
  #reasonText(id) {
    const text = this.#reasonTexts.get(id);
    if (text === void 0)
      throw new Error(`stored history names reason id ${id}, which is not in the database`);
    return text;
  }
  #remember(ids, names, name, id) {
    ids.set(name, id);
    names.set(id, name);
  }
};
function returnedId(row, what) {
  if (row === void 0) throw new Error(`storing a ${what} name returned no id`);
  return row.id;
}
var HourCounts = class {
  #byKey = /* @__PURE__ */ new Map();
  add(planeId, checkedAt, code, delta) {
    const hour = Math.floor(checkedAt / HOUR_MS);
    const key = `${planeId}:${hour}`;
    let entry = this.#byKey.get(key);
    if (entry === void 0) {
      entry = [planeId, hour, [0, 0, 0, 0]];
      this.#byKey.set(key, entry);
    }
    entry[2][code] = (entry[2][code] ?? 0) + delta;
  }
  entries() {
    return this.#byKey.values();
  }
};

// src/store/wal-checkpointer.ts
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
var WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
parentPort.on('message', () => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, log: row.log, checkpointed: row.checkpointed });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
`;
var WalCheckpointer = class {
  #worker;
  #timer;
  #onError;
  #written;
  /** Waiting for the next checkpoint to start, and for the one running to end. */
  #queued = [];
  #running;
  #closed = false;
  #last;
  #unfinished = false;
  constructor(path, options = {}) {
    this.#onError = options.onError ?? (() => void 0);
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path, driver: createRequire(import.meta.url).resolve("better-sqlite3") },
      // A connection and a pragma: keep the thread's heap small.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 }
    });
    this.#worker.unref();
    this.#worker.on("message", (message) => {
      const outcome = message.ok ? { log: message.log, checkpointed: message.checkpointed } : void 0;
      if (outcome) this.#last = outcome;
      this.#unfinished = outcome === void 0 || outcome.checkpointed < outcome.log;
      if (!message.ok) this.#onError(new Error(`WAL checkpoint failed: ${message.message}`));
      for (const resolve of this.#running ?? []) resolve(outcome);
      this.#running = void 0;
      if (this.#queued.length > 0) this.#start();
    });
    const failed = (error) => {
      if (this.#closed) return;
      this.close();
      options.onFailed?.(error);
    };
    this.#worker.on("error", failed);
    this.#worker.on("exit", (code) => failed(new Error(`the WAL checkpoint thread exited (${code})`)));
    this.#written = options.written ?? (() => true);
    this.#timer = setInterval(() => void this.tick(), options.intervalMs ?? 1e3).unref();
  }
  /**
   * The periodic checkpoint: requested when something was written since the last tick or the last checkpoint
   * left frames behind; else (and once closed) undefined.
   */
  tick() {
    if (this.#closed) return void 0;
    let due = this.#unfinished;
    try {
      due = this.#written() || due;
    } catch (error) {
      this.#onError(error instanceof Error ? error : new Error(String(error)));
      due = true;
    }
    return due ? this.request() : void 0;
  }
  /**
   * Checkpoints as soon as the thread is free. Resolves when a checkpoint that started after this call
   * ends, with undefined when it failed or the checkpointer closed first.
   */
  request() {
    if (this.#closed) return Promise.resolve(void 0);
    const done = new Promise((resolve) => this.#queued.push(resolve));
    if (this.#running === void 0) this.#start();
    return done;
  }
  /** What the last checkpoint that succeeded found and did. */
  get last() {
    return this.#last;
  }
  close() {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    for (const resolve of [...this.#running ?? [], ...this.#queued]) resolve(void 0);
    void this.#worker.terminate();
  }
  #start() {
    this.#running = this.#queued;
    this.#queued = [];
    this.#worker.postMessage("checkpoint");
  }
};

// src/store/sqlite-store.ts
var MIGRATIONS = [
  `CREATE TABLE latest_results (
     plane TEXT PRIMARY KEY,
     status TEXT NOT NULL,
     reason TEXT,
     checked_at INTEGER NOT NULL,
     duration_ms REAL NOT NULL,
     steps TEXT NOT NULL
   );
   CREATE TABLE check_history (
     id INTEGER PRIMARY KEY,
     plane TEXT NOT NULL,
     status TEXT NOT NULL,
     reason TEXT,
     checked_at INTEGER NOT NULL,
     duration_ms REAL NOT NULL,
     steps TEXT NOT NULL
   );
   CREATE INDEX check_history_plane_time ON check_history (plane, checked_at);
   CREATE INDEX check_history_time ON check_history (checked_at);`,
  `CREATE TABLE heal_actions (
     id INTEGER PRIMARY KEY,
     plane TEXT NOT NULL,
     reason TEXT NOT NULL,
     correlation_id TEXT NOT NULL UNIQUE,
     dispatched_at INTEGER NOT NULL,
     status TEXT NOT NULL,
     run_id INTEGER,
     run_url TEXT,
     conclusion TEXT,
     outcome TEXT,
     error TEXT,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX heal_actions_plane_time ON heal_actions (plane, dispatched_at);
   CREATE INDEX heal_actions_time ON heal_actions (dispatched_at);`,
  // Until when GitHub asked for no requests (epoch ms): one row, kept across restarts.
  `CREATE TABLE github_backoff (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     until INTEGER NOT NULL
   );`,
  compactHistory,
  // Who checked: the instance of every result (a fleet has several); results stored before read back ''.
  `${INSTANCES_SCHEMA}
   ALTER TABLE latest_results ADD COLUMN checked_by TEXT NOT NULL DEFAULT '';`,
  // heal_actions: follow lease. The replica following a run to its outcome, and until when (epoch ms);
  // another replica takes the run over once that has passed. Rows from before have no follower: anyone may.
  `ALTER TABLE heal_actions ADD COLUMN follower TEXT;
   ALTER TABLE heal_actions ADD COLUMN follow_until INTEGER;`,
  // Maintenance started at run time (one row per plane), and the audit trail (`key` drops repeats).
  `${MAINTENANCE_SCHEMA}`
];
var MIGRATION_BATCH = 5e3;
var AUTOCHECKPOINT_PAGES = 100;
var WAL_RESET_FRAMES = 16384;
function compactHistory(db) {
  db.exec("ALTER TABLE check_history RENAME TO check_history_v2");
  db.exec(HISTORY_SCHEMA);
  const history = new SqliteHistory(db, 4);
  const batch = db.prepare(
    "SELECT * FROM check_history_v2 WHERE id > ? ORDER BY id LIMIT ?"
  );
  for (let after = 0; ; ) {
    const rows = batch.all(after, MIGRATION_BATCH);
    const last = rows.at(-1);
    if (last === void 0) break;
    history.append(rows.map(fromRow));
    after = last.id;
  }
  db.exec("DROP TABLE check_history_v2");
}
function openSqliteStore(path, options = {}) {
  try {
    return openOrRecover(path, options);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    const cause = error instanceof Error ? error.message : String(error);
    throw new StoreError(`cannot open the database ${path}: ${cause}`, { cause: error });
  }
}
function openOrRecover(path, options) {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  try {
    return new SqliteResultStore(openDatabase(path), options);
  } catch (error) {
    if (!isCorruption(error) || path === ":memory:") throw error;
    const stamp = (options.now?.() ?? /* @__PURE__ */ new Date()).toISOString().replace(/[:.]/g, "-");
    const movedTo = `${path}.corrupt-${stamp}`;
    renameSync(path, movedTo);
    for (const suffix of ["-wal", "-shm"]) {
      if (existsSync(path + suffix)) renameSync(path + suffix, movedTo + suffix);
    }
    options.onRecovered?.({ path, movedTo, cause: error instanceof Error ? error.message : String(error) });
    return new SqliteResultStore(openDatabase(path), options);
  }
}
function openDatabase(path) {
  const db = new Database(path);
  try {
    db.pragma("busy_timeout = 100");
    const check = db.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new CorruptDatabase(`quick_check: ${String(check)}`);
    const version = db.pragma("user_version", { simple: true });
    if (version > MIGRATIONS.length) {
      throw new StoreError(
        `database ${path} has schema version ${version}, newer than this planecheck supports (${MIGRATIONS.length}): run a newer planecheck, or point storage.path at another file`
      );
    }
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("journal_size_limit = 67108864");
    db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    migrate(db, version);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
var CorruptDatabase = class extends Error {
};
function isCorruption(error) {
  if (error instanceof CorruptDatabase) return true;
  const code = error.code;
  return code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT";
}
function migrate(db, version) {
  for (let next = version; next < MIGRATIONS.length; next++) {
    db.transaction(() => {
      const migration = MIGRATIONS[next] ?? "";
      if (typeof migration === "string") db.exec(migration);
      else migration(db);
      db.pragma(`user_version = ${next + 1}`);
    }).immediate();
  }
}
function writeWatch(db) {
  const totalChanges = db.prepare("SELECT total_changes()").pluck();
  let seen;
  return () => {
    const now = totalChanges.get();
    const changed = now !== seen;
    seen = now;
    return changed;
  };
}
var SqliteResultStore = class {
  #db;
  #history;
  #upsertLatest;
  #selectLatest;
  #save;
  #checkpointer;
  /** A file database gets its checkpoints on a thread of their own (see WalCheckpointer). */
  constructor(db, options = {}) {
    this.#db = db;
    if (!db.memory) {
      const onError = options.onCheckpointError ?? (() => void 0);
      this.#checkpointer = new WalCheckpointer(db.name, {
        intervalMs: options.checkpointEveryMs,
        written: writeWatch(db),
        onError,
        onFailed: (error) => {
          if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
          onError(error);
        }
      });
      db.pragma("wal_autocheckpoint = 0");
    }
    this.#history = new SqliteHistory(db);
    this.#upsertLatest = db.prepare(
      `INSERT INTO latest_results (plane, status, reason, checked_at, duration_ms, steps, checked_by)
       VALUES (@plane, @status, @reason, @checked_at, @duration_ms, @steps, @checked_by)
       ON CONFLICT (plane) DO UPDATE SET status = excluded.status, reason = excluded.reason,
         checked_at = excluded.checked_at, duration_ms = excluded.duration_ms, steps = excluded.steps,
         checked_by = excluded.checked_by
       WHERE latest_results.checked_at <= excluded.checked_at`
    );
    this.#selectLatest = db.prepare("SELECT * FROM latest_results ORDER BY plane");
    this.#save = db.transaction((results) => {
      for (const result of newestPerPlane(results)) this.#upsertLatest.run(toRow(result));
      this.#history.append(results);
    });
  }
  saveResults(results) {
    return settle(() => {
      try {
        this.#save(results);
      } catch (error) {
        this.#history.reload();
        throw error;
      }
    });
  }
  latestResults() {
    return settle(() => this.#selectLatest.all().map(fromRow));
  }
  history(plane, limit, since = 0) {
    return settle(() => this.#history.recent(plane, limit, since));
  }
  availability(since, planes) {
    return settle(() => this.#history.availability(since, planes));
  }
  pruneHistory(before, batchSize) {
    return settle(() => this.#history.prune(before, batchSize));
  }
  /**
   * Folds the WAL back into the database: on the checkpoint thread when there is one, else here. The
   * thread's checkpoints never block writes, so under steady writes the WAL may never start over; once it
   * holds more than WAL_RESET_FRAMES, truncate it here (a stop of the event loop, but not a WAL without end).
   */
  checkpoint() {
    if (this.#checkpointer === void 0 || (this.#checkpointer.last?.log ?? 0) > WAL_RESET_FRAMES) {
      this.#db.pragma("wal_checkpoint(TRUNCATE)");
    }
    void this.#checkpointer?.request();
  }
  /**
   * The periodic checkpoint's turn, as its timer takes it: a checkpoint when anything was written since the last
   * turn (or the last left frames behind), else undefined. Undefined without a checkpoint thread.
   */
  periodicCheckpoint() {
    return this.#checkpointer?.tick();
  }
  /** A checkpoint on the checkpoint thread, awaited (undefined without one, or when it failed). */
  checkpointInBackground() {
    return this.#checkpointer?.request() ?? Promise.resolve(void 0);
  }
  /** The underlying handle, for checks such as `PRAGMA integrity_check` in tests and tools. */
  get database() {
    return this.#db;
  }
  close() {
    return settle(() => {
      this.#checkpointer?.close();
      if (this.#db.open) this.#db.close();
    });
  }
};
function settle(work) {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
function newestPerPlane(results) {
  const newest = /* @__PURE__ */ new Map();
  for (const result of results) {
    const kept = newest.get(result.plane);
    if (kept === void 0 || kept.checkedAt <= result.checkedAt) newest.set(result.plane, result);
  }
  return [...newest.values()];
}
function toRow(result) {
  return {
    plane: result.plane,
    status: result.status,
    reason: result.reason,
    checked_at: result.checkedAt,
    duration_ms: result.durationMs,
    steps: JSON.stringify(result.steps),
    checked_by: result.checkedBy
  };
}
function fromRow(row) {
  return {
    plane: row.plane,
    status: row.status,
    reason: row.reason,
    checkedAt: row.checked_at,
    durationMs: row.duration_ms,
    steps: parseSteps(row.steps),
    checkedBy: row.checked_by ?? ""
  };
}
function parseSteps(json) {
  try {
    const steps = JSON.parse(json);
    return Array.isArray(steps) ? steps : [];
  } catch {
    return [];
  }
}
export {
  MIGRATIONS,
  SqliteResultStore,
  StoreError,
  newestPerPlane,
  openSqliteStore,
  writeWatch
};
