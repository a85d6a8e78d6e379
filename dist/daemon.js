#!/usr/bin/env node
import {
  PLANE_STATUSES,
  STATUS_GUIDE,
  STEP_NAMES,
  createChecker,
  loadConfigFile,
  resolveConfigPath,
  toPlaneReport,
  unsupportedNode
} from "./chunks/chunk-ZZHSVE2J.js";
import {
  ConfigError,
  intervalToCron,
  parseConfig,
  parseListenAddress
} from "./chunks/chunk-Z5KEYDWC.js";
import "./chunks/chunk-METLG7FZ.js";
import "./chunks/chunk-YVK2JUK6.js";
import "./chunks/chunk-KNTKHN2X.js";

// src/daemon.ts
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

// src/heal/self-heal-settings.ts
function selfHealSettings(selfHeal) {
  if (!selfHeal?.enabled || !selfHeal.repository) return void 0;
  const [owner = "", repo = ""] = selfHeal.repository.split("/");
  return {
    target: { owner, repo, workflow: selfHeal.workflow, ref: selfHeal.ref },
    inputs: selfHeal.inputs,
    policy: {
      cooldownMs: selfHeal.cooldown,
      failureThreshold: selfHeal.failureThreshold,
      maxDispatchesPerHour: selfHeal.maxDispatchesPerHour,
      runTimeoutMs: selfHeal.runTimeout,
      dryRun: selfHeal.dryRun
    },
    runPollIntervalMs: selfHeal.runPollInterval
  };
}

// src/daemon/check-cycle.ts
import { setImmediate as yieldToLoop } from "node:timers/promises";

// src/check/stored-result.ts
function toStoredResult(result) {
  const report = toPlaneReport(result);
  if (report.status === "NO_VALUE") throw new Error("a check result is never NO_VALUE");
  return {
    plane: result.plane,
    status: report.status,
    reason: report.reason,
    checkedAt: result.checkedAt,
    durationMs: result.durationMs,
    steps: report.steps
  };
}

// src/log/logger.ts
var RANK = { debug: 10, info: 20, warn: 30, error: 40 };
function createLogger(level, write = (line) => process.stdout.write(line)) {
  const log = (at) => (msg, fields = {}) => {
    if (RANK[at] < RANK[level]) return;
    write(`${JSON.stringify({ time: (/* @__PURE__ */ new Date()).toISOString(), level: at, msg, ...fields })}
`);
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}
function getErrorMessage(error) {
  if (error instanceof Error) return error.message;
  return typeof error === "string" ? error : JSON.stringify(error);
}

// src/store/result-writer.ts
var ResultWriter = class {
  #store;
  #onError;
  #onDropped;
  #maxPending;
  #backoffMs;
  #pending = [];
  #retryAt = 0;
  constructor(options) {
    this.#store = options.store;
    this.#onError = options.onError;
    this.#onDropped = options.onDropped ?? (() => void 0);
    this.#maxPending = options.maxPending ?? 5e4;
    this.#backoffMs = options.backoffMs ?? 1e3;
  }
  get pending() {
    return this.#pending.length;
  }
  write(result, now = Date.now()) {
    this.#pending.push(result);
    if (this.#pending.length > this.#maxPending) {
      const dropped = this.#pending.length - this.#maxPending;
      this.#pending.splice(0, dropped);
      this.#onDropped(dropped);
    }
    this.flush(now);
  }
  /** Writes what is pending unless still backing off; true when nothing is left pending. */
  flush(now = Date.now()) {
    if (this.#pending.length === 0) return true;
    if (now < this.#retryAt) return false;
    try {
      this.#store.saveResults(this.#pending);
      this.#pending = [];
      return true;
    } catch (error) {
      this.#retryAt = now + this.#backoffMs;
      this.#onError(error, this.#pending.length);
      return false;
    }
  }
};

// src/daemon/check-cycle.ts
var PRUNE_BATCH = 500;
var CHECKPOINT_EVERY_CYCLES = 10;
var CheckCycle = class {
  #deps;
  #writer;
  #cycles = 0;
  #lastFinishedAt = null;
  constructor(deps) {
    this.#deps = deps;
    this.#writer = new ResultWriter({
      store: deps.store,
      onError: (error, pending) => {
        deps.metrics.recordStorageError("write");
        deps.log.error("could not store results; keeping them in memory and retrying", {
          pending,
          error: getErrorMessage(error)
        });
      },
      onDropped: (count) => deps.log.error("dropped the oldest unstored results", { count })
    });
  }
  /** Writes results still waiting for the database; `force` skips the retry backoff (shutdown). */
  flush(force = false) {
    return this.#writer.flush(force ? Number.POSITIVE_INFINITY : Date.now());
  }
  get lastFinishedAt() {
    return this.#lastFinishedAt;
  }
  async run(signal) {
    const { checker, planes, metrics, log } = this.#deps;
    const started = performance.now();
    const counts = {};
    await checker.check(planes, {
      signal,
      onResult: (result) => {
        if (signal.aborted) return;
        const stored = toStoredResult(result);
        counts[stored.status] = (counts[stored.status] ?? 0) + 1;
        this.publish(stored);
      }
    });
    this.#writer.flush();
    if (signal.aborted) return;
    const durationMs = performance.now() - started;
    this.#cycles++;
    this.#lastFinishedAt = Date.now();
    metrics.recordCycle(durationMs);
    await metrics.refresh();
    log.info("cycle finished", {
      planes: planes.length,
      durationMs: Math.round(durationMs),
      statuses: counts
    });
    await this.#tidy(signal);
  }
  /** Checks one plane right away (after a self-heal run) and publishes the result. */
  async checkNow(planeName) {
    const plane = this.#deps.planes.find((candidate) => candidate.name === planeName);
    if (plane === void 0) return void 0;
    const [result] = await this.#deps.checker.check([plane]);
    if (result === void 0) return void 0;
    const stored = toStoredResult(result);
    this.publish(stored);
    await this.#deps.metrics.refresh();
    return stored;
  }
  /** Stores one result, updates what readers see, and logs a status change. */
  publish(result) {
    const { board, metrics, log, onResult } = this.#deps;
    this.#writer.write(result);
    const change = board.update(result);
    metrics.recordResult(result);
    if (change) log.info("status changed", { ...change });
    onResult?.(result);
  }
  /** Prunes old history in small batches between other work, and checkpoints the WAL now and then. */
  async #tidy(signal) {
    const { store, metrics, log, historyRetentionMs } = this.#deps;
    const cutoff = Date.now() - historyRetentionMs;
    try {
      let removed = 0;
      for (; ; ) {
        const batch = store.pruneHistory(cutoff, PRUNE_BATCH);
        removed += batch;
        if (batch < PRUNE_BATCH || signal.aborted) break;
        await yieldToLoop();
      }
      if (removed > 0) log.debug("pruned check history", { removed });
      if (this.#cycles % CHECKPOINT_EVERY_CYCLES === 0) store.checkpoint();
    } catch (error) {
      metrics.recordStorageError("prune");
      log.error("could not prune check history", { error: getErrorMessage(error) });
    }
  }
};

// src/metrics/metrics.ts
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

// src/metrics/gzip-parts.ts
import zlib, {
  constants,
  createDeflateRaw,
  createInflateRaw,
  deflateRawSync
} from "node:zlib";
var crc32 = (data, value) => zlib.crc32(data, value);
var LEVEL = 1;
var SEGMENT = { finishFlush: constants.Z_FULL_FLUSH, level: LEVEL };
var HEADER = Buffer.from([31, 139, 8, 0, 0, 0, 0, 0, 0, 255]);
var FINAL_BLOCK = Buffer.from([3, 0]);
var CHUNK_CHARS = 64 * 1024;
var CompressedPartWriter = class {
  #pending = "";
  #segments = [];
  #deflate = createDeflateRaw({ level: LEVEL });
  #size = 0;
  #crc;
  /** `crcBefore`: the `crc` of the part this one follows in the stream (0 for the first). */
  constructor(crcBefore = 0) {
    this.#crc = crcBefore;
    this.#deflate.on("data", (chunk) => this.#segments.push(chunk));
  }
  /** Adds text in pieces, compressing every ~64 KiB before taking more. */
  async write(pieces) {
    for (const piece of pieces) {
      this.#pending += piece;
      if (this.#pending.length >= CHUNK_CHARS) await this.#flush();
    }
  }
  async #flush() {
    if (this.#pending.length === 0) return;
    const bytes = Buffer.from(this.#pending);
    this.#pending = "";
    this.#size += bytes.length;
    this.#crc = crc32(bytes, this.#crc);
    await new Promise(
      (resolve, reject) => this.#deflate.write(bytes, (error) => error ? reject(error) : resolve())
    );
  }
  /** Ends the part with a full flush (not a final block), so that more parts can follow it. */
  async end() {
    try {
      await this.#flush();
      await new Promise((resolve) => this.#deflate.flush(constants.Z_FULL_FLUSH, resolve));
    } finally {
      this.#deflate.close();
    }
    return { segments: this.#segments, size: this.#size, crc: this.#crc };
  }
};
function compressPartSync(text2, crcBefore = 0) {
  const bytes = Buffer.from(text2);
  return { segments: [deflateRawSync(bytes, SEGMENT)], size: bytes.length, crc: crc32(bytes, crcBefore) };
}
function gzipParts(parts) {
  const size = parts.reduce((sum, part) => sum + part.size, 0);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE((parts[parts.length - 1]?.crc ?? 0) >>> 0, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  return [HEADER, ...parts.flatMap((part) => part.segments), FINAL_BLOCK, trailer];
}
async function inflatePart(part) {
  const inflate = createInflateRaw({ chunkSize: 256 * 1024 });
  const chunks = [];
  inflate.on("data", (chunk) => chunks.push(chunk));
  const done = new Promise((resolve, reject) => {
    inflate.once("end", resolve);
    inflate.once("error", reject);
  });
  for (const segment of part.segments) inflate.write(segment);
  inflate.end(FINAL_BLOCK);
  await done;
  return chunks;
}

// src/metrics/text-format.ts
function escapeLabel(value) {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}
function planeLabel(plane) {
  return `workload_plane="${escapeLabel(plane)}"`;
}
function escapeHelp(value) {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}
function formatValue(value) {
  if (Number.isNaN(value)) return "Nan";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

// src/metrics/status-gauges.ts
var STATUS = "planecheck_status";
var LAST_CHECK = "planecheck_last_check_timestamp_seconds";
var STATUS_HELP = "Current status of each workload plane: 1 for the status it is in, 0 for the other four.";
var LAST_CHECK_HELP = "Unix time of the last completed check of each workload plane.";
function* renderStatusGauges(states) {
  yield `# HELP ${STATUS} ${STATUS_HELP}
# TYPE ${STATUS} gauge
`;
  for (const state of states) {
    const plane = planeLabel(state.plane);
    let text2 = "";
    for (const status of PLANE_STATUSES) {
      text2 += `${STATUS}{${plane},status="${status}"} ${state.status === status ? 1 : 0}
`;
    }
    yield text2;
  }
  yield `
# HELP ${LAST_CHECK} ${LAST_CHECK_HELP}
# TYPE ${LAST_CHECK} gauge
`;
  for (const state of states) {
    if (state.checkedAt === null) continue;
    yield `${LAST_CHECK}{${planeLabel(state.plane)}} ${formatValue(state.checkedAt / 1e3)}
`;
  }
  yield "\n";
}

// src/metrics/plane-counter.ts
var PlaneCounter = class {
  #name;
  #help;
  #label;
  #values;
  #index;
  /** Per plane: its label (`workload_plane="..."`), and a count per value. */
  #series = /* @__PURE__ */ new Map();
  constructor(options) {
    this.#name = options.name;
    this.#help = options.help;
    this.#label = options.label;
    this.#values = options.values;
    this.#index = new Map(options.values.map((value, i) => [value, i]));
  }
  /** Creates the plane's series at zero. */
  zero(plane) {
    this.#get(plane);
  }
  inc(plane, value, by = 1) {
    const i = this.#index.get(value);
    if (i === void 0) throw new Error(`${this.#name}: unknown ${this.#label} "${value}"`);
    const counts = this.#get(plane).counts;
    counts[i] = (counts[i] ?? 0) + by;
  }
  *render() {
    yield `# HELP ${this.#name} ${escapeHelp(this.#help)}
# TYPE ${this.#name} counter
`;
    const valueLabels = this.#values.map((value) => `${this.#label}="${escapeLabel(value)}"`);
    for (const { plane, counts } of this.#series.values()) {
      let text2 = "";
      for (let i = 0; i < counts.length; i++) {
        text2 += `${this.#name}{${plane},${valueLabels[i] ?? ""}} ${formatValue(counts[i] ?? 0)}
`;
      }
      yield text2;
    }
  }
  #get(plane) {
    let series = this.#series.get(plane);
    if (series === void 0) {
      series = { plane: planeLabel(plane), counts: this.#values.map(() => 0) };
      this.#series.set(plane, series);
    }
    return series;
  }
};

// src/metrics/step-histogram.ts
var StepHistogram = class {
  #name;
  #help;
  #buckets;
  #bucketLabels;
  /** Plane (with its escaped label), then step: no key string to build per observation. */
  #series = /* @__PURE__ */ new Map();
  constructor(options) {
    this.#name = options.name;
    this.#help = options.help;
    this.#buckets = [...options.buckets].sort((a, b) => a - b);
    this.#bucketLabels = this.#buckets.map(String);
  }
  observe(plane, step, seconds) {
    const series = this.#get(plane, step);
    for (let i = 0; i < this.#buckets.length; i++) {
      if (seconds <= (this.#buckets[i] ?? Infinity)) series.counts[i] = (series.counts[i] ?? 0) + 1;
    }
    series.sum += seconds;
    series.count++;
  }
  /** Creates the series with zero counts, so it is exported before its first observation. */
  zero(plane, step) {
    this.#get(plane, step);
  }
  /** The exposition text, a series at a time, so that the caller can compress it as it goes. */
  *render() {
    const name = this.#name;
    yield `# HELP ${name} ${escapeHelp(this.#help)}
# TYPE ${name} histogram
`;
    const labels = this.#bucketLabels;
    const last = this.#buckets.length;
    for (const [plane, steps] of this.#series.values()) {
      for (const series of steps.values()) {
        const seriesLabels = `${plane},step="${series.step}"`;
        let text2 = "";
        for (let i = 0; i < last; i++) {
          text2 += `${name}_bucket{le="${labels[i] ?? ""}",${seriesLabels}} ${series.counts[i] ?? 0}
`;
        }
        text2 += `${name}_bucket{le="+Inf",${seriesLabels}} ${series.count}
`;
        text2 += `${name}_sum{${seriesLabels}} ${formatValue(series.sum)}
`;
        text2 += `${name}_count{${seriesLabels}} ${series.count}
`;
        yield text2;
      }
    }
  }
  #get(plane, step) {
    let entry = this.#series.get(plane);
    if (entry === void 0) {
      entry = [planeLabel(plane), /* @__PURE__ */ new Map()];
      this.#series.set(plane, entry);
    }
    const steps = entry[1];
    let series = steps.get(step);
    if (series === void 0) {
      series = { step: escapeLabel(step), counts: this.#buckets.map(() => 0), sum: 0, count: 0 };
      steps.set(step, series);
    }
    return series;
  }
};

// src/metrics/metrics.ts
var STEP_BUCKETS = [0.1, 0.25, 1, 2.5, 10];
var CYCLE_BUCKETS = [0.5, 1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120];
var PlanecheckMetrics = class {
  #live = new Registry();
  #cycle = new Registry();
  #source;
  /** The status gauges as of `version`, chained after the cycle part `cycle`. */
  #status;
  #cyclePart;
  #refreshing = Promise.resolve();
  /** Parts decompressed for plain-text scrapes; an entry goes when its part is replaced. */
  #texts = /* @__PURE__ */ new WeakMap();
  #dirty = true;
  #checkDuration;
  #checksTotal;
  #cycleDuration;
  #cyclesTotal;
  #overrunsTotal;
  #storageErrors;
  #storageRecoveries;
  #dispatches;
  #runs;
  #healOutcomes;
  constructor(planes, source) {
    this.#source = source;
    const cycle = [this.#cycle];
    collectDefaultMetrics({ register: this.#live });
    for (const name of [
      "nodejs_active_handles_total",
      "nodejs_active_requests_total",
      "nodejs_active_resources_total"
    ]) {
      this.#live.removeSingleMetric(name);
    }
    this.#checkDuration = new StepHistogram({
      name: "planecheck_check_duration_seconds",
      help: 'Duration of each step of a plane check, and of the whole check (step="total").',
      buckets: STEP_BUCKETS
    });
    this.#checksTotal = new PlaneCounter({
      name: "planecheck_checks_total",
      help: "Completed plane checks by resulting status.",
      label: "status",
      values: PLANE_STATUSES.filter((status) => status !== "NO_VALUE")
    });
    this.#cycleDuration = new Histogram({
      name: "planecheck_cycle_duration_seconds",
      help: "Wall time of one check cycle over all planes.",
      buckets: CYCLE_BUCKETS,
      registers: cycle
    });
    this.#cyclesTotal = new Counter({
      name: "planecheck_cycles_total",
      help: "Completed check cycles.",
      registers: cycle
    });
    this.#overrunsTotal = new Counter({
      name: "planecheck_cycle_overruns_total",
      help: "Scheduled cycles skipped because the previous cycle was still running.",
      registers: cycle
    });
    this.#storageErrors = new Counter({
      name: "planecheck_storage_errors_total",
      help: "Failed writes or reads of the SQLite store.",
      labelNames: ["operation"],
      registers: cycle
    });
    this.#storageRecoveries = new Counter({
      name: "planecheck_storage_recoveries_total",
      help: "Times the database file was unusable, moved aside and replaced by a fresh one.",
      registers: cycle
    });
    this.#dispatches = new Counter({
      name: "planecheck_self_heal_dispatches_total",
      help: "Self-heal decisions on NO_USER/NO_ORACLE planes, by outcome (dispatched, or why not).",
      labelNames: ["workload_plane", "reason", "outcome"],
      registers: cycle
    });
    this.#runs = new Counter({
      name: "planecheck_self_heal_runs_total",
      help: "Completed smoke-test workflow runs started by self-heal, by conclusion.",
      labelNames: ["workload_plane", "conclusion"],
      registers: cycle
    });
    this.#healOutcomes = new Counter({
      name: "planecheck_self_heal_outcomes_total",
      help: "Finished self-heal attempts: fixed, workflow_failed, still_broken or timed_out.",
      labelNames: ["workload_plane", "outcome"],
      registers: cycle
    });
    for (const plane of planes) {
      this.#checksTotal.zero(plane);
      for (const step of [...STEP_NAMES, "total"]) this.#checkDuration.zero(plane, step);
    }
    this.#cyclesTotal.inc(0);
    this.#overrunsTotal.inc(0);
    this.#storageRecoveries.inc(0);
  }
  recordResult(result) {
    const plane = result.plane;
    this.#checksTotal.inc(plane, result.status);
    for (const step of result.steps) this.#checkDuration.observe(plane, step.step, step.durationMs / 1e3);
    this.#checkDuration.observe(plane, "total", result.durationMs / 1e3);
    this.#dirty = true;
  }
  recordCycle(durationMs) {
    this.#cycleDuration.observe(durationMs / 1e3);
    this.#cyclesTotal.inc();
    this.#dirty = true;
  }
  recordOverrun() {
    this.#overrunsTotal.inc();
    this.#dirty = true;
  }
  recordStorageError(operation) {
    this.#storageErrors.inc({ operation });
    this.#dirty = true;
  }
  recordStorageRecovery() {
    this.#storageRecoveries.inc();
    this.#dirty = true;
  }
  recordDispatch(plane, reason, outcome) {
    this.#dispatches.inc({ workload_plane: plane, reason, outcome });
    this.#dirty = true;
  }
  recordRun(plane, conclusion) {
    this.#runs.inc({ workload_plane: plane, conclusion });
    this.#dirty = true;
  }
  recordHealOutcome(plane, outcome) {
    this.#healOutcomes.inc({ workload_plane: plane, outcome });
    this.#dirty = true;
  }
  /**
   * Re-renders the histograms and counters; the daemon calls this once per cycle and after self-heal
   * events. Refreshes run one after another, so an older one never replaces a newer one.
   */
  refresh() {
    this.#refreshing = this.#refreshing.then(() => this.#renderCyclePart());
    return this.#refreshing;
  }
  async #renderCyclePart() {
    if (!this.#dirty && this.#cyclePart) return;
    this.#dirty = false;
    const writer = new CompressedPartWriter();
    await writer.write(this.#checkDuration.render());
    await writer.write(["\n"]);
    await writer.write(this.#checksTotal.render());
    await writer.write([`
${await this.#cycle.metrics()}
`]);
    this.#cyclePart = await writer.end();
  }
  get contentType() {
    return this.#live.contentType;
  }
  /**
   * The full exposition as one gzip stream, in buffers to write in order: histograms and counters,
   * status gauges, then process metrics.
   */
  async render(now = Date.now()) {
    const { cycle, status, live } = await this.#parts(now);
    return gzipParts([cycle, status, compressPartSync(live, status.crc)]);
  }
  /**
   * The same exposition as text, for a scraper without gzip (people, curl). The large parts are
   * decompressed once per change and kept while current, so repeated plain scrapes cost no more.
   */
  async renderText(now = Date.now()) {
    const { cycle, status, live } = await this.#parts(now);
    return [...await this.#textOf(cycle), ...await this.#textOf(status), Buffer.from(live)];
  }
  async #parts(now) {
    if (!this.#cyclePart) await this.refresh();
    const cycle = this.#cyclePart ?? compressPartSync("");
    const status = await this.#statusFor(cycle, now);
    return { cycle, status, live: await this.#live.metrics() };
  }
  #textOf(part) {
    let text2 = this.#texts.get(part);
    if (text2 === void 0) {
      text2 = inflatePart(part);
      this.#texts.set(part, text2);
    }
    return text2;
  }
  /** The status gauges, rendered again only when a result arrived or expired, or the cycle part changed. */
  #statusFor(cycle, now) {
    const cached = this.#status;
    const version = this.#source.version;
    if (cached && cached.version === version && now < cached.validUntil && cached.cycle === cycle) {
      return cached.part;
    }
    const writer = new CompressedPartWriter(cycle.crc);
    const part = writer.write(renderStatusGauges(this.#source.states(now))).then(() => writer.end());
    const entry = { part, version, validUntil: this.#source.nextExpiry(now) ?? Infinity, cycle };
    this.#status = entry;
    part.catch(() => {
      if (this.#status === entry) this.#status = void 0;
    });
    return part;
  }
};

// src/scheduler/cycle-scheduler.ts
import cron from "node-cron";
var CycleScheduler = class {
  #options;
  #task;
  #abort = new AbortController();
  #current;
  #currentIsScheduled = false;
  #started = false;
  constructor(options) {
    const expression = intervalToCron(options.intervalMs);
    if (expression === void 0) throw new Error(`no cron schedule ticks every ${options.intervalMs}ms`);
    this.#options = options;
    this.#task = cron.createTask(expression, () => this.trigger(), {
      timezone: "UTC",
      name: "planecheck-cycle",
      noOverlap: false
    });
  }
  get running() {
    return this.#started && !this.#abort.signal.aborted;
  }
  get busy() {
    return this.#current !== void 0;
  }
  start() {
    if (this.#started) return;
    this.#started = true;
    void this.#task.start();
    this.#begin(false);
  }
  /** A scheduled tick: starts a cycle unless one is running. */
  trigger() {
    this.#begin(true);
  }
  #begin(scheduled) {
    if (this.#abort.signal.aborted) return;
    if (this.#current) {
      if (scheduled && this.#currentIsScheduled) this.#options.onOverrun();
      return;
    }
    this.#currentIsScheduled = scheduled;
    this.#current = this.#run().finally(() => {
      this.#current = void 0;
    });
  }
  async #run() {
    try {
      await this.#options.runCycle(this.#abort.signal);
    } catch (error) {
      this.#options.onError(error);
    }
  }
  /** Stops ticking, aborts the running cycle and waits for it to wind down. */
  async stop() {
    this.#abort.abort(new Error("shutting down"));
    await this.#task.destroy();
    await this.#current;
  }
};

// src/server/http-server.ts
import { createServer } from "node:http";

// src/server/auth.ts
import { createHash, timingSafeEqual } from "node:crypto";
function sameSecret(given, expected) {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
function isAuthorized(header, auth) {
  if (auth === void 0) return true;
  if (header === void 0) return false;
  if ("bearerToken" in auth) {
    const match2 = /^Bearer\s+(.+)$/i.exec(header);
    return sameSecret(match2?.[1] ?? "", auth.bearerToken);
  }
  const match = /^Basic\s+(.+)$/i.exec(header);
  const decoded = Buffer.from(match?.[1] ?? "", "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const user = colon < 0 ? "" : decoded.slice(0, colon);
  const password = colon < 0 ? "" : decoded.slice(colon + 1);
  const userOk = sameSecret(user, auth.username);
  const passwordOk = sameSecret(password, auth.password);
  return userOk && passwordOk;
}
function challenge(auth) {
  return "bearerToken" in auth ? 'Bearer realm="planecheck"' : 'Basic realm="planecheck", charset="UTF-8"';
}

// src/server/http-server.ts
function json(body, status = 200) {
  return { status, contentType: "application/json; charset=utf-8", body: JSON.stringify(body) };
}
function createDaemonServer(deps) {
  const server = createServer((req, res) => {
    handle(req, res, deps).catch((error) => {
      deps.log.error("http handler failed", { path: req.url?.split("?")[0], error: getErrorMessage(error) });
      if (!res.headersSent) send(res, req, json({ error: "internal error" }, 500));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65e3;
  server.headersTimeout = 1e4;
  server.requestTimeout = 3e4;
  return server;
}
async function handle(req, res, deps) {
  const url = new URL(req.url ?? "/", "http://planecheck");
  if (req.method !== "GET" && req.method !== "HEAD") {
    return send(res, req, { ...json({ error: "method not allowed" }, 405), headers: { allow: "GET, HEAD" } });
  }
  if (url.pathname === "/healthz") return send(res, req, text("ok\n"));
  if (url.pathname === "/readyz") {
    const readiness = deps.readiness();
    return send(res, req, json(readiness, readiness.ready ? 200 : 503));
  }
  const route = findRoute(deps.protectedRoutes, url.pathname);
  if (route === void 0) return send(res, req, json({ error: "not found" }, 404));
  if (!isAuthorized(req.headers.authorization, deps.auth)) {
    const headers = deps.auth ? { "www-authenticate": challenge(deps.auth) } : void 0;
    return send(res, req, { ...json({ error: "unauthorized" }, 401), headers });
  }
  return send(res, req, await route(url, req));
}
function findRoute(routes, path) {
  const exact = routes[path];
  if (exact) return exact;
  for (const [prefix, route] of Object.entries(routes)) {
    if (prefix.endsWith("/") && prefix !== "/" && path.startsWith(prefix)) return route;
  }
  return void 0;
}
function text(body, status = 200) {
  return { status, contentType: "text/plain; charset=utf-8", body };
}
function send(res, req, response) {
  const parts = typeof response.body === "string" || Buffer.isBuffer(response.body) ? [response.body] : response.body;
  const length = parts.reduce((sum, part) => sum + Buffer.byteLength(part), 0);
  res.writeHead(response.status, {
    "content-type": response.contentType,
    "content-length": length,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...response.headers
  });
  if (req.method !== "HEAD") for (const part of parts) res.write(part);
  res.end();
}
async function listen(server, address) {
  const colon = address.lastIndexOf(":");
  const host = address.slice(0, colon).replace(/^\[|\]$/g, "");
  const port = Number(address.slice(colon + 1));
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = server.address();
  const shown = bound.family === "IPv6" ? `[${bound.address}]` : bound.address;
  return `http://${shown}:${bound.port}`;
}
async function closeServer(server) {
  server.closeIdleConnections();
  const closed = new Promise((resolve) => server.close(() => resolve()));
  const timer = setTimeout(() => server.closeAllConnections(), 1e3);
  await closed;
  clearTimeout(timer);
}

// src/server/routes.ts
import { randomBytes } from "node:crypto";

// src/server/badge.ts
var COLORS = {
  HEALTHY: "#1a7f37",
  NO_USER: "#9a6700",
  NO_ORACLE: "#9a6700",
  FAILED: "#cf222e",
  NO_VALUE: "#6e7781"
};
var escape = (text2) => text2.replace(
  /[&<>"']/g,
  (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] ?? c
);
function textWidth(text2) {
  return Math.round(text2.length * 6.5 + 10);
}
function renderBadge(plane, status) {
  const label = escape(plane);
  const left = textWidth(plane);
  const right = textWidth(status);
  const width = left + right;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${label}: ${status}">
<title>${label}: ${status}</title>
<rect width="${left}" height="20" fill="#555"/>
<rect x="${left}" width="${right}" height="20" fill="${COLORS[status]}"/>
<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">
<text x="${left / 2}" y="14">${label}</text>
<text x="${left + right / 2}" y="14">${status}</text>
</g>
</svg>`;
}

// src/server/runbook.generated.ts
var RUNBOOK = {
  "FAILED": {
    "anchor": "failed",
    "meaning": "A request of the check failed: it timed out, the connection failed, the server answered an error status, or the answer was not what the platform contract promises. Unlike `NO_USER` and `NO_ORACLE`, nothing was found to be missing; something did not work.",
    "impact": "The most serious status: a real user of this plane is likely failing in the same way. Nothing is dispatched automatically; a failing plane is for a person to look at.",
    "diagnose": "Read the reason (`reason` in the status API, the `status changed` log line). The step tells you which side:",
    "diagnoseByReason": [
      {
        "prefixes": [
          "user_lookup_",
          "oracle_lookup_"
        ],
        "text": "`user_lookup_*` or `oracle_lookup_*`: the control plane is failing. Every plane usually shows it at once; check the control plane's health, not the planes."
      },
      {
        "prefixes": [
          "predict_"
        ],
        "text": "`predict_*`: synchronous inference on this plane. `predict_timeout` is a slow or stuck model or a saturated plane; `predict_http_5xx` comes from the model server or the gateway in front of it; `predict_connection_refused` / `predict_dns_error` / `predict_tls_error` point at the plane's ingress, DNS or certificates."
      },
      {
        "prefixes": [
          "async_predict_failed"
        ],
        "text": "`async_predict_failed`: the async request ended `FAILED`, `EXPIRED`, `CANCELED` or `WEBHOOK_FAILED`; the step's `detail` carries the platform's error codes. `async_predict_timeout`: it never finished within `asyncTimeout`, usually a stuck async queue or worker."
      },
      {
        "prefixes": [
          "*_invalid_response",
          "*_response_too_large"
        ],
        "text": "`*_invalid_response` / `*_response_too_large`: the API answered something unexpected (an HTML error page from a proxy, a changed response shape)."
      }
    ],
    "mitigate": "Fix what the reason names: the network path or certificate, the model server, the async queue. If the health-check model itself is broken (a bad deploy of it), redeploy it by running the production smoke-test workflow for the plane.",
    "markdown": "**Meaning.** A request of the check failed: it timed out, the connection failed, the server answered an\nerror status, or the answer was not what the platform contract promises. Unlike `NO_USER` and `NO_ORACLE`,\nnothing was found to be missing; something did not work.\n\n**Impact.** The most serious status: a real user of this plane is likely failing in the same way. Nothing is\ndispatched automatically; a failing plane is for a person to look at.\n\n**Diagnose.**\n\n1. Read the reason (`reason` in the status API, the `status changed` log line). The step tells you which side:\n   - `user_lookup_*` or `oracle_lookup_*`: the control plane is failing. Every plane usually shows it at once;\n     check the control plane's health, not the planes.\n   - `predict_*`: synchronous inference on this plane. `predict_timeout` is a slow or stuck model or a\n     saturated plane; `predict_http_5xx` comes from the model server or the gateway in front of it;\n     `predict_connection_refused` / `predict_dns_error` / `predict_tls_error` point at the plane's ingress,\n     DNS or certificates.\n   - `async_predict_failed`: the async request ended `FAILED`, `EXPIRED`, `CANCELED` or `WEBHOOK_FAILED`; the\n     step's `detail` carries the platform's error codes. `async_predict_timeout`: it never finished within\n     `asyncTimeout`, usually a stuck async queue or worker.\n   - `*_invalid_response` / `*_response_too_large`: the API answered something unexpected (an HTML error page\n     from a proxy, a changed response shape).\n2. Compare with other planes: one plane alone points at that plane; all planes at the control plane or\n   shared infrastructure.\n3. Look at the step timings (`steps[].durationMs`, the dashboard's latency panel) for a plane slowing down.\n4. Impersonate the plane's smoke-test user (`admin__smoke_test_PLANE`) in your admin tools and look at the\n   health-check model's own logs.\n\n**Mitigate.** Fix what the reason names: the network path or certificate, the model server, the async queue.\nIf the health-check model itself is broken (a bad deploy of it), redeploy it by running the production\nsmoke-test workflow for the plane."
  },
  "NO_USER": {
    "anchor": "no_user",
    "meaning": "The control plane answered the user lookup, and there is no smoke-test user `admin__smoke_test_PLANE`. This is a definitive answer: a lookup that failed is `FAILED`, never `NO_USER`.",
    "impact": "This plane is not being checked at all, so it could be down without anyone knowing. It does not by itself mean that users are affected; it usually means the user was deleted (a clean-up job, a data migration, a restored database).",
    "diagnose": "Look at `selfHeal` in the status API or the status page: with self-heal on, planecheck has probably already dispatched the smoke-test workflow. Its `runUrl` links to the run; `outcome` says how it ended.",
    "diagnoseByReason": [],
    "mitigate": "If self-heal is off, or its attempt failed: run the production smoke-test workflow for the plane (Actions > Production smoke test > Run workflow, `workload_plane` = the plane). When several planes lost their users at once, look for the common cause before re-creating them one by one: the hourly cap on dispatches (`maxDispatchesPerHour`) holds self-heal back on purpose in a platform-wide event.",
    "markdown": "**Meaning.** The control plane answered the user lookup, and there is no smoke-test user\n`admin__smoke_test_PLANE`. This is a definitive answer: a lookup that failed is `FAILED`, never `NO_USER`.\n\n**Impact.** This plane is not being checked at all, so it could be down without anyone knowing. It does not\nby itself mean that users are affected; it usually means the user was deleted (a clean-up job, a data\nmigration, a restored database).\n\n**Diagnose.**\n\n1. Look at `selfHeal` in the status API or the status page: with self-heal on, planecheck has probably\n   already dispatched the smoke-test workflow. Its `runUrl` links to the run; `outcome` says how it ended.\n2. Confirm in your admin tools that the user is really gone.\n3. Find what removed it: audit logs for the user, recent clean-up jobs, database restores.\n\n**Mitigate.** If self-heal is off, or its attempt failed: run the production smoke-test workflow for the plane\n(Actions > Production smoke test > Run workflow, `workload_plane` = the plane). When several planes lost their\nusers at once, look for the common cause before re-creating them one by one: the hourly cap on dispatches\n(`maxDispatchesPerHour`) holds self-heal back on purpose in a platform-wide event."
  },
  "NO_ORACLE": {
    "anchor": "no_oracle",
    "meaning": "The smoke-test user exists, and the model lookup in its organization found no `health-check-model`. Definitive, like `NO_USER`.",
    "impact": "The plane is not being checked. A missing model that was deployed before may also point at a problem with model deployments or the database behind them.",
    "diagnose": "Look at `selfHeal` in the status API: the redeploy may already be on its way.",
    "diagnoseByReason": [],
    "mitigate": "Run the production smoke-test workflow for the plane to redeploy the model, if self-heal did not.",
    "markdown": "**Meaning.** The smoke-test user exists, and the model lookup in its organization found no\n`health-check-model`. Definitive, like `NO_USER`.\n\n**Impact.** The plane is not being checked. A missing model that was deployed before may also point at a\nproblem with model deployments or the database behind them.\n\n**Diagnose.**\n\n1. Look at `selfHeal` in the status API: the redeploy may already be on its way.\n2. Impersonate the smoke-test user and look at its models: deleted, renamed, or stuck in a failed deploy?\n3. Read the logs of the last smoke-test run for the plane and of recent model deployments.\n\n**Mitigate.** Run the production smoke-test workflow for the plane to redeploy the model, if self-heal did not."
  },
  "NO_VALUE": {
    "anchor": "no_value",
    "meaning": "There is no result younger than the cache TTL (`schedule.cacheTtl`, 2 minutes by default) for this plane: the check did not run, or did not finish. planecheck computes this when it is read, so a stopped scheduler shows up here within one TTL.",
    "impact": "Nothing is known about the plane; it may be fine. But while it lasts, a real outage would go unnoticed.",
    "diagnose": "All planes `NO_VALUE`: the daemon's cycles are not completing. Check `/readyz`, the `cycle finished` log lines and `planecheck_cycles_total`, `planecheck_cycle_overruns_total` and `planecheck_cycle_duration_seconds`. Overruns mean a cycle takes longer than the interval: too many planes for `concurrency`, or many planes hanging to their `planeTimeout`.",
    "diagnoseByReason": [],
    "mitigate": "Restart the daemon if it is wedged; raise `schedule.concurrency` or lower `planeTimeout` if cycles overrun; free disk space or fix permissions if storage fails.",
    "markdown": "**Meaning.** There is no result younger than the cache TTL (`schedule.cacheTtl`, 2 minutes by default) for\nthis plane: the check did not run, or did not finish. planecheck computes this when it is read, so a stopped\nscheduler shows up here within one TTL.\n\n**Impact.** Nothing is known about the plane; it may be fine. But while it lasts, a real outage would go\nunnoticed.\n\n**Diagnose.**\n\n1. All planes `NO_VALUE`: the daemon's cycles are not completing. Check `/readyz`, the `cycle finished` log\n   lines and `planecheck_cycles_total`, `planecheck_cycle_overruns_total` and\n   `planecheck_cycle_duration_seconds`. Overruns mean a cycle takes longer than the interval: too many\n   planes for `concurrency`, or many planes hanging to their `planeTimeout`.\n2. One plane `NO_VALUE` while the others are fresh: that plane's results are not being stored; look for\n   `could not store result` log lines and `planecheck_storage_errors_total`.\n3. Right after a start, every plane is `NO_VALUE` until its first check finishes; that is expected.\n\n**Mitigate.** Restart the daemon if it is wedged; raise `schedule.concurrency` or lower `planeTimeout` if\ncycles overrun; free disk space or fix permissions if storage fails."
  }
};

// src/server/status-page.ts
var RUNBOOK_URL = "https://github.com/planecheck/planecheck/blob/main/docs/runbook.md";
function scriptJson(value) {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
function renderStatusPage(status, nonce) {
  const guide = Object.fromEntries(
    Object.entries(STATUS_GUIDE).map(([key, value]) => {
      const section = RUNBOOK[key];
      return [
        key,
        {
          meaning: value.meaning,
          nextStep: value.nextStep,
          diagnose: section?.diagnose ?? "",
          diagnoseByReason: section?.diagnoseByReason ?? [],
          mitigate: section?.mitigate ?? "",
          runbook: section ? `${RUNBOOK_URL}#${section.anchor}` : ""
        }
      ];
    })
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>planecheck</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header>
  <h1>planecheck</h1>
  <p id="banner" class="banner" role="status" aria-live="polite"></p>
  <p class="meta" id="meta"></p>
</header>
<main>
  <table id="planes">
    <caption>Workload planes, their last check and what self-heal did. Refreshes by itself.</caption>
    <thead><tr>
      <th scope="col">Plane</th><th scope="col">Status</th><th scope="col">Last check</th>
      <th scope="col">Steps (ms)</th><th scope="col">Recent results</th><th scope="col">Availability 1 h / 24 h</th>
      <th scope="col">Self-heal</th>
    </tr></thead>
    <tbody></tbody>
  </table>
  <section id="attention" aria-labelledby="attention-title" hidden>
    <h2 id="attention-title">Needs attention</h2>
    <div id="attention-list"></div>
  </section>
</main>
<script type="application/json" id="initial-status">${scriptJson(status)}</script>
<script type="application/json" id="status-guide">${scriptJson(guide)}</script>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}
var STYLE = `
:root { --bg:#fff; --fg:#1b1f24; --muted:#5b636d; --line:#d8dee4; --card:#f6f8fa;
  --ok:#1a7f37; --warn:#9a6700; --bad:#cf222e; --none:#6e7781; --link:#0969da; }
@media (prefers-color-scheme: dark) { :root { --bg:#0d1117; --fg:#e6edf3; --muted:#9198a1; --line:#30363d;
  --card:#161b22; --ok:#3fb950; --warn:#d29922; --bad:#f85149; --none:#8b949e; --link:#4493f8; } }
* { box-sizing: border-box; }
body { margin:0; padding:1rem 1.5rem 3rem; background:var(--bg); color:var(--fg);
  font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; }
a { color:var(--link); }
a:focus, summary:focus { outline:2px solid var(--link); outline-offset:2px; }
h1 { font-size:1.4rem; margin:0 0 .5rem; }
h2 { font-size:1.15rem; margin:2rem 0 .75rem; }
.banner { font-size:1.1rem; font-weight:600; padding:.6rem .9rem; border-radius:6px; border:1px solid var(--line);
  margin:.25rem 0; }
.banner.ok { border-color:var(--ok); color:var(--ok); }
.banner.warn { border-color:var(--warn); color:var(--warn); }
.banner.bad { border-color:var(--bad); color:var(--bad); }
.meta { color:var(--muted); margin:.25rem 0 1rem; font-size:.9rem; }
table { border-collapse:collapse; width:100%; }
caption { text-align:left; color:var(--muted); font-size:.9rem; padding-bottom:.5rem; }
th, td { text-align:left; padding:.5rem .6rem; border-bottom:1px solid var(--line); vertical-align:top; }
thead th { font-size:.85rem; color:var(--muted); font-weight:600; }
tbody th { font-weight:600; white-space:nowrap; }
.status { display:inline-block; font-weight:700; font-size:.8rem; letter-spacing:.02em; padding:.1rem .45rem;
  border-radius:4px; border:1.5px solid currentColor; }
.s-HEALTHY { color:var(--ok); } .s-NO_USER, .s-NO_ORACLE { color:var(--warn); }
.s-FAILED { color:var(--bad); } .s-NO_VALUE { color:var(--none); }
.reason { display:block; color:var(--muted); font-size:.85rem; margin-top:.2rem; font-family:ui-monospace,monospace; }
.small { color:var(--muted); font-size:.85rem; display:block; }
.steps { font-family:ui-monospace,monospace; font-size:.85rem; white-space:nowrap; }
.strip { display:flex; gap:2px; align-items:flex-end; height:1.2rem; }
.strip span { width:6px; height:100%; border-radius:1px; background:currentColor; }
.strip .s-NO_USER, .strip .s-NO_ORACLE { height:70%; } .strip .s-FAILED { height:100%; } .strip .s-HEALTHY { height:45%; }
.sr { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:.8rem 1rem; margin-bottom:1rem; }
.card h3 { margin:0 0 .4rem; font-size:1rem; }
.card p { margin:.35rem 0; }
.card ol { margin:.35rem 0 .35rem 1.2rem; padding:0; }
code { font-family:ui-monospace,monospace; font-size:.9em; }
`;
var SCRIPT = String.raw`
(function () {
  'use strict';
  var guide = JSON.parse(document.getElementById('status-guide').textContent);
  var data = JSON.parse(document.getElementById('initial-status').textContent);
  var fetchedAt = Date.now();
  var fetchError = null;
  var STEP_LABELS = { user_lookup: 'user', oracle_lookup: 'oracle', predict: 'predict', async_predict: 'async' };

  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) Object.keys(props).forEach(function (key) {
      if (key === 'text') node.textContent = props[key];
      else if (key === 'className') node.className = props[key];
      else node.setAttribute(key, props[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function ago(iso) {
    if (!iso) return 'never';
    var s = Math.round((Date.now() - Date.parse(iso)) / 1000);
    if (s < 0) s = 0;
    if (s < 120) return s + ' s ago';
    if (s < 7200) return Math.round(s / 60) + ' min ago';
    return Math.round(s / 3600) + ' h ago';
  }
  function until(iso) {
    if (!iso) return '';
    var s = Math.round((Date.parse(iso) - Date.now()) / 1000);
    return s > 0 ? 'expires in ' + s + ' s' : 'expired ' + (-s) + ' s ago';
  }
  function pct(value) { return value === null || value === undefined ? 'n/a' : (value * 100).toFixed(value >= 0.999 ? 0 : 1) + '%'; }
  /** Text with markdown code spans as <code> elements. */
  function rich(tag, text, className) {
    var node = el(tag, className ? { className: className } : null);
    String(text).split('\x60').forEach(function (part, i) {
      node.appendChild(i % 2 === 1 ? el('code', { text: part }) : document.createTextNode(part));
    });
    return node;
  }
  function forReason(entries, reason) {
    if (!reason) return null;
    var found = entries.filter(function (entry) {
      return entry.prefixes.some(function (p) { return p.charAt(0) === '*' ? reason.slice(-p.length + 1) === p.slice(1) : reason.indexOf(p) === 0; });
    })[0];
    return found ? found.text : null;
  }
  function statusBadge(status) { return el('span', { className: 'status s-' + status, text: status }); }

  function banner() {
    var node = document.getElementById('banner');
    var planes = data.planes;
    var bad = planes.filter(function (p) { return p.status !== 'HEALTHY'; });
    var stale = planes.length > 0 && planes.every(function (p) { return p.status === 'NO_VALUE'; }) &&
      planes.some(function (p) { return p.checkedAt; });
    var lastCycle = data.scheduler.lastCycleFinishedAt ? Date.parse(data.scheduler.lastCycleFinishedAt) : null;
    var cycleLate = lastCycle !== null && Date.now() - lastCycle > data.scheduler.cacheTtlSeconds * 1000;
    var text, kind;
    if (fetchError) { text = 'Cannot reach planecheck (' + fetchError + '): showing what it said ' + ago(new Date(fetchedAt).toISOString()); kind = 'bad'; }
    else if (!data.scheduler.running) { text = 'Checks have stopped: the scheduler is not running'; kind = 'bad'; }
    else if (stale || cycleLate) { text = 'Checks have stopped: results are going stale (last cycle ' + ago(data.scheduler.lastCycleFinishedAt) + ')'; kind = 'bad'; }
    else if (bad.length === 0) { text = 'All ' + planes.length + ' planes healthy'; kind = 'ok'; }
    else { text = bad.length + (bad.length === 1 ? ' plane needs' : ' planes need') + ' attention'; kind = bad.some(function (p) { return p.status === 'FAILED'; }) ? 'bad' : 'warn'; }
    node.textContent = text;
    node.className = 'banner ' + kind;
    var counts = Object.keys(data.summary).filter(function (k) { return data.summary[k] > 0; })
      .map(function (k) { return data.summary[k] + ' ' + k; }).join(', ');
    document.getElementById('meta').textContent = counts + ' · checked every ' + data.scheduler.intervalSeconds +
      ' s, results valid ' + data.scheduler.cacheTtlSeconds + ' s · updated ' + ago(new Date(fetchedAt).toISOString());
  }

  function row(plane) {
    var statusCell = el('td', null, [statusBadge(plane.status),
      el('span', { className: 'small', text: guide[plane.status].meaning })]);
    if (plane.reason) statusCell.appendChild(el('span', { className: 'reason', text: plane.reason }));
    var checked = el('td', null, [el('span', { 'data-ago': plane.checkedAt || '', text: ago(plane.checkedAt) }),
      el('span', { className: 'small', 'data-until': plane.expiresAt || '', text: until(plane.expiresAt) })]);
    var steps = el('td', { className: 'steps' }, plane.steps.map(function (step) {
      var mark = step.outcome === 'ok' ? '' : step.outcome === 'not_found' ? ' (none)' : ' (failed)';
      return el('span', { className: 'small', text: STEP_LABELS[step.step] + ' ' + Math.round(step.durationMs) + mark });
    }));
    var recent = plane.recent || [];
    var strip = el('div', { className: 'strip', 'aria-hidden': 'true' }, recent.map(function (r) {
      return el('span', { className: 's-' + r.status, title: r.status + (r.reason ? ' (' + r.reason + ')' : '') + ' at ' + new Date(r.checkedAt).toLocaleString() });
    }));
    var healthyCount = recent.filter(function (r) { return r.status === 'HEALTHY'; }).length;
    var history = el('td', null, [strip, el('span', { className: 'sr', text: 'Last ' + recent.length + ' results: ' + healthyCount + ' healthy, ' + (recent.length - healthyCount) + ' not healthy' })]);
    var availability = el('td', { text: pct(plane.availability.h1) + ' / ' + pct(plane.availability.h24) });
    var heal = el('td');
    var last = plane.selfHeal[0];
    if (last) {
      heal.appendChild(el('span', { text: (last.outcome || last.status) + ' · ' + ago(last.dispatchedAt) }));
      if (last.runUrl) heal.appendChild(el('a', { className: 'small', href: last.runUrl, text: 'run ' + (last.runId || '') }));
    } else heal.textContent = '–';
    return el('tr', { 'data-plane': plane.name }, [el('th', { scope: 'row', text: plane.name }), statusCell, checked, steps, history, availability, heal]);
  }

  function card(plane) {
    var g = guide[plane.status];
    var children = [el('h3', null, [document.createTextNode(plane.name + ' '), statusBadge(plane.status)]),
      rich('p', g.meaning)];
    if (plane.reason) children.push(el('p', null, [document.createTextNode('Reason: '), el('code', { text: plane.reason })]));
    var detail = plane.steps.filter(function (s) { return s.detail; }).map(function (s) { return s.step + ': ' + s.detail; }).join('; ');
    if (detail) children.push(el('p', { className: 'small', text: detail }));
    var steps = el('ol');
    if (g.diagnose) {
      var diagnose = rich('li', 'Diagnose: ' + g.diagnose);
      var specific = forReason(g.diagnoseByReason, plane.reason);
      if (specific) diagnose.appendChild(rich('p', specific, 'small'));
      steps.appendChild(diagnose);
    }
    if (g.mitigate) steps.appendChild(rich('li', 'Mitigate: ' + g.mitigate));
    if (!g.diagnose && !g.mitigate) steps.appendChild(el('li', { text: g.nextStep }));
    children.push(steps);
    if (plane.selfHeal.length > 0) {
      var list = el('ul');
      plane.selfHeal.forEach(function (a) {
        var item = el('li', { text: 'Self-heal ' + (a.outcome || a.status) + ', dispatched ' + new Date(a.dispatchedAt).toLocaleString() + (a.error ? ' (' + a.error + ')' : '') + ' ' });
        if (a.runUrl) item.appendChild(el('a', { href: a.runUrl, text: 'workflow run ' + (a.runId || '') }));
        list.appendChild(item);
      });
      children.push(list);
    }
    if (g.runbook) children.push(el('p', null, [el('a', { href: g.runbook, text: 'Runbook: ' + plane.status })]));
    return el('article', { className: 'card', 'data-plane': plane.name }, children);
  }

  function render() {
    banner();
    var body = document.querySelector('#planes tbody');
    body.replaceChildren.apply(body, data.planes.map(row));
    var attention = data.planes.filter(function (p) { return p.status !== 'HEALTHY'; });
    var section = document.getElementById('attention');
    section.hidden = attention.length === 0;
    var list = document.getElementById('attention-list');
    list.replaceChildren.apply(list, attention.map(card));
  }

  function tick() {
    document.querySelectorAll('[data-ago]').forEach(function (node) { node.textContent = ago(node.getAttribute('data-ago')); });
    document.querySelectorAll('[data-until]').forEach(function (node) { node.textContent = until(node.getAttribute('data-until')); });
    banner();
  }

  function poll() {
    fetch('api/v1/status', { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(function (next) { data = next; fetchedAt = Date.now(); fetchError = null; render(); })
      .catch(function (error) { fetchError = error.message || String(error); banner(); });
  }

  render();
  setInterval(tick, 1000);
  setInterval(poll, 3000);
})();
`;

// src/server/routes.ts
var HISTORY_DEFAULT_LIMIT = 100;
var HISTORY_MAX_LIMIT = 1e3;
function createRoutes(deps) {
  return {
    "/metrics": async (_url, request) => {
      const gzip = acceptsGzip(request.headers["accept-encoding"]);
      const headers = gzip ? { "content-encoding": "gzip", vary: "accept-encoding" } : { vary: "accept-encoding" };
      return {
        status: 200,
        contentType: deps.metrics.contentType,
        body: gzip ? await deps.metrics.render() : await deps.metrics.renderText(),
        headers
      };
    },
    "/api/v1/status": () => json(deps.status()),
    "/api/v1/planes/": (url) => historyRoute(url, deps),
    "/": () => statusPage(deps.status()),
    "/badge/": (url) => {
      const match = /^\/badge\/([^/]+)\.svg$/.exec(url.pathname);
      const plane = match?.[1] ? decodeURIComponent(match[1]) : "";
      if (!deps.planes.includes(plane)) return json({ error: "no such plane" }, 404);
      return {
        status: 200,
        contentType: "image/svg+xml; charset=utf-8",
        body: renderBadge(plane, deps.planeStatus(plane))
      };
    }
  };
}
function acceptsGzip(header) {
  return (header ?? "").split(",").some((entry) => {
    const [coding = "", ...params] = entry.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return (coding === "gzip" || coding === "x-gzip") && (q === void 0 || Number(q.slice(2)) > 0);
  });
}
function historyRoute(url, deps) {
  const match = /^\/api\/v1\/planes\/([^/]+)\/history$/.exec(url.pathname);
  if (!match?.[1]) return json({ error: "not found" }, 404);
  const plane = decodeURIComponent(match[1]);
  if (!deps.planes.includes(plane)) return json({ error: `no plane named ${plane}` }, 404);
  const raw = url.searchParams.get("limit");
  let limit = HISTORY_DEFAULT_LIMIT;
  if (raw !== null) {
    if (!/^\d+$/.test(raw) || Number(raw) < 1)
      return json({ error: "limit must be a whole number from 1" }, 400);
    limit = Math.min(Number(raw), HISTORY_MAX_LIMIT);
  }
  const results = deps.history(plane, limit).map((result) => ({
    checkedAt: new Date(result.checkedAt).toISOString(),
    status: result.status,
    reason: result.reason,
    durationMs: result.durationMs,
    steps: result.steps
  }));
  return json({ plane, limit, results });
}
function statusPage(status) {
  const nonce = randomBytes(16).toString("base64");
  return {
    status: 200,
    contentType: "text/html; charset=utf-8",
    body: renderStatusPage(status, nonce),
    headers: {
      "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      "referrer-policy": "no-referrer"
    }
  };
}

// src/server/status-api.ts
function healActionView(action) {
  return {
    reason: action.reason,
    correlationId: action.correlationId,
    dispatchedAt: new Date(action.dispatchedAt).toISOString(),
    status: action.status,
    runId: action.runId,
    runUrl: action.runUrl,
    conclusion: action.conclusion,
    outcome: action.outcome,
    error: action.error
  };
}
var iso = (ms) => ms === null ? null : new Date(ms).toISOString();
function statusResponse(states, scheduler, extras, now) {
  const summary = Object.fromEntries(PLANE_STATUSES.map((status) => [status, 0]));
  for (const state of states) summary[state.status]++;
  return {
    generatedAt: iso(now),
    summary,
    scheduler: {
      running: scheduler.running,
      intervalSeconds: scheduler.intervalMs / 1e3,
      cacheTtlSeconds: scheduler.cacheTtlMs / 1e3,
      lastCycleFinishedAt: iso(scheduler.lastCycleFinishedAt)
    },
    planes: states.map((state) => ({
      name: state.plane,
      status: state.status,
      reason: state.reason,
      lastStatus: state.lastStatus,
      checkedAt: iso(state.checkedAt),
      expiresAt: iso(state.expiresAt),
      durationMs: state.durationMs,
      steps: state.steps,
      recent: (extras.recent?.(state.plane) ?? []).map((result) => ({
        checkedAt: new Date(result.checkedAt).toISOString(),
        status: result.status,
        reason: result.reason
      })),
      availability: extras.availability?.(state.plane) ?? { h1: null, h24: null },
      selfHeal: extras.healActions(state.plane)
    }))
  };
}

// src/store/sqlite-store.ts
import Database from "better-sqlite3";
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { dirname } from "node:path";
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
   CREATE INDEX heal_actions_time ON heal_actions (dispatched_at);`
];
var StoreError = class extends Error {
  name = "StoreError";
};
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
    return new SqliteResultStore(openDatabase(path));
  } catch (error) {
    if (!isCorruption(error) || path === ":memory:") throw error;
    const stamp = (options.now?.() ?? /* @__PURE__ */ new Date()).toISOString().replace(/[:.]/g, "-");
    const movedTo = `${path}.corrupt-${stamp}`;
    renameSync(path, movedTo);
    for (const suffix of ["-wal", "-shm"]) {
      if (existsSync(path + suffix)) renameSync(path + suffix, movedTo + suffix);
    }
    options.onRecovered?.({ path, movedTo, cause: error instanceof Error ? error.message : String(error) });
    return new SqliteResultStore(openDatabase(path));
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
    db.pragma("wal_autocheckpoint = 1000");
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
      db.exec(MIGRATIONS[next] ?? "");
      db.pragma(`user_version = ${next + 1}`);
    }).immediate();
  }
}
var SqliteResultStore = class {
  #db;
  #upsertLatest;
  #insertHistory;
  #selectLatest;
  #selectHistory;
  #pruneHistory;
  #availability;
  #save;
  constructor(db) {
    this.#db = db;
    this.#upsertLatest = db.prepare(
      `INSERT INTO latest_results (plane, status, reason, checked_at, duration_ms, steps)
       VALUES (@plane, @status, @reason, @checked_at, @duration_ms, @steps)
       ON CONFLICT (plane) DO UPDATE SET status = excluded.status, reason = excluded.reason,
         checked_at = excluded.checked_at, duration_ms = excluded.duration_ms, steps = excluded.steps`
    );
    this.#insertHistory = db.prepare(
      `INSERT INTO check_history (plane, status, reason, checked_at, duration_ms, steps)
       VALUES (@plane, @status, @reason, @checked_at, @duration_ms, @steps)`
    );
    this.#selectLatest = db.prepare("SELECT * FROM latest_results ORDER BY plane");
    this.#selectHistory = db.prepare(
      "SELECT * FROM check_history WHERE plane = ? AND checked_at >= ? ORDER BY checked_at DESC LIMIT ?"
    );
    this.#pruneHistory = db.prepare(
      "DELETE FROM check_history WHERE id IN (SELECT id FROM check_history WHERE checked_at < ? LIMIT ?)"
    );
    this.#availability = db.prepare(
      `SELECT plane, sum(status = 'HEALTHY') AS healthy, count(*) AS total
       FROM check_history WHERE checked_at >= ? GROUP BY plane`
    );
    this.#save = db.transaction((results) => {
      for (const result of results) {
        const row = toRow(result);
        this.#upsertLatest.run(row);
        this.#insertHistory.run(row);
      }
    });
  }
  saveResult(result) {
    this.#save([result]);
  }
  saveResults(results) {
    this.#save(results);
  }
  latestResults() {
    return this.#selectLatest.all().map(fromRow);
  }
  history(plane, limit, since = 0) {
    return this.#selectHistory.all(plane, since, limit).map(fromRow);
  }
  availability(since) {
    return new Map(
      this.#availability.all(since).map((row) => [row.plane, { healthy: row.healthy, total: row.total }])
    );
  }
  pruneHistory(before, batchSize) {
    return this.#pruneHistory.run(before, batchSize).changes;
  }
  /** Folds the WAL back into the database and truncates it. */
  checkpoint() {
    this.#db.pragma("wal_checkpoint(TRUNCATE)");
  }
  /** The underlying handle, for checks such as `PRAGMA integrity_check` in tests and tools. */
  get database() {
    return this.#db;
  }
  close() {
    if (this.#db.open) this.#db.close();
  }
};
function toRow(result) {
  return {
    plane: result.plane,
    status: result.status,
    reason: result.reason,
    checked_at: result.checkedAt,
    duration_ms: result.durationMs,
    steps: JSON.stringify(result.steps)
  };
}
function fromRow(row) {
  return {
    plane: row.plane,
    status: row.status,
    reason: row.reason,
    checkedAt: row.checked_at,
    durationMs: row.duration_ms,
    steps: JSON.parse(row.steps)
  };
}

// src/store/plane-state.ts
function isFresh(result, now, cacheTtlMs) {
  return now - result.checkedAt < cacheTtlMs;
}
function planeState(plane, result, now, cacheTtlMs) {
  if (result === void 0) {
    return {
      plane,
      status: "NO_VALUE",
      reason: "no_result",
      checkedAt: null,
      expiresAt: null,
      durationMs: null,
      steps: [],
      lastStatus: null
    };
  }
  const expiresAt = result.checkedAt + cacheTtlMs;
  const fresh = isFresh(result, now, cacheTtlMs);
  return {
    plane,
    status: fresh ? result.status : "NO_VALUE",
    reason: fresh ? result.reason : "result_expired",
    checkedAt: result.checkedAt,
    expiresAt,
    durationMs: result.durationMs,
    steps: result.steps,
    lastStatus: result.status
  };
}

// src/store/status-board.ts
var RECENT_RESULTS = 30;
var StatusBoard = class {
  #planes;
  #cacheTtlMs;
  #latest = /* @__PURE__ */ new Map();
  #recent = /* @__PURE__ */ new Map();
  #version = 0;
  /** `initial`: the stored latest results; `recent`: a plane's stored history, newest first, for the strip. */
  constructor(planes, cacheTtlMs, initial = [], recent = () => []) {
    this.#planes = planes;
    this.#cacheTtlMs = cacheTtlMs;
    for (const result of initial) if (planes.includes(result.plane)) this.#latest.set(result.plane, result);
    for (const plane of planes) {
      this.#recent.set(
        plane,
        recent(plane).slice(0, RECENT_RESULTS).reverse().map(({ checkedAt, status, reason }) => ({ checkedAt, status, reason }))
      );
    }
  }
  /** The plane's last results, oldest first. */
  recent(plane) {
    return this.#recent.get(plane) ?? [];
  }
  get planes() {
    return this.#planes;
  }
  get cacheTtlMs() {
    return this.#cacheTtlMs;
  }
  /** Changes with every update, so readers can tell whether what they rendered is still current. */
  get version() {
    return this.#version;
  }
  /** When the next fresh result turns NO_VALUE, or undefined when none is fresh. */
  nextExpiry(now = Date.now()) {
    let next;
    for (const result of this.#latest.values()) {
      const expiresAt = result.checkedAt + this.#cacheTtlMs;
      if (expiresAt > now && (next === void 0 || expiresAt < next)) next = expiresAt;
    }
    return next;
  }
  /** Records a new result and says whether the plane's visible status changed. */
  update(result, now = Date.now()) {
    const before = this.state(result.plane, now).status;
    this.#latest.set(result.plane, result);
    this.#version++;
    const strip = this.#recent.get(result.plane);
    if (strip) {
      strip.push({ checkedAt: result.checkedAt, status: result.status, reason: result.reason });
      if (strip.length > RECENT_RESULTS) strip.shift();
    }
    const after = this.state(result.plane, now);
    return before === after.status ? void 0 : { plane: result.plane, from: before, to: after.status, reason: after.reason };
  }
  state(plane, now = Date.now()) {
    return planeState(plane, this.#latest.get(plane), now, this.#cacheTtlMs);
  }
  states(now = Date.now()) {
    return this.#planes.map((plane) => this.state(plane, now));
  }
};

// src/store/availability.ts
var AvailabilityCache = class {
  #store;
  #maxAgeMs;
  #computed;
  constructor(store, maxAgeMs = 3e4) {
    this.#store = store;
    this.#maxAgeMs = maxAgeMs;
  }
  get(plane, now = Date.now()) {
    if (this.#computed === void 0 || now - this.#computed.at >= this.#maxAgeMs) {
      const hour = this.#store.availability(now - 36e5);
      const day = this.#store.availability(now - 864e5);
      const byPlane = /* @__PURE__ */ new Map();
      for (const name of /* @__PURE__ */ new Set([...hour.keys(), ...day.keys()])) {
        byPlane.set(name, { h1: ratio(hour.get(name)), h24: ratio(day.get(name)) });
      }
      this.#computed = { at: now, byPlane };
    }
    return this.#computed.byPlane.get(plane) ?? { h1: null, h24: null };
  }
};
function ratio(counts) {
  return counts && counts.total > 0 ? counts.healthy / counts.total : null;
}

// src/daemon.ts
var HELP = `Usage: planecheck-daemon --config FILE | --demo  [--listen HOST:PORT]

  --config FILE       run against the platform in FILE (or set PLANECHECK_CONFIG)
  --demo              run against a built-in sandbox platform with planes in every state
  --listen HOST:PORT  serve /metrics, /api and the status page here instead of server.listen
                      (default 127.0.0.1:9464; port 0 picks a free one)
`;
var openedAtStartup = [];
async function main() {
  const oldNode = unsupportedNode(process.versions.node);
  if (oldNode !== void 0) {
    process.stderr.write(`planecheck: ${oldNode}
`);
    return 2;
  }
  const { values } = parseArgs({
    options: {
      config: { type: "string" },
      demo: { type: "boolean", default: false },
      listen: { type: "string" },
      help: { type: "boolean" }
    },
    strict: true
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const listenAt = values.listen === void 0 ? void 0 : parseListenAddress(values.listen, "--listen");
  let sandbox;
  let sandboxGithub;
  let demoDirectory;
  let config;
  if (values.demo) {
    const [{ SandboxPlatform }, { SandboxGithub }, demo] = await Promise.all([
      import("./chunks/sandbox-platform-LVTIWWAQ.js"),
      import("./chunks/sandbox-github-ABSQ6VEB.js"),
      import("./chunks/demo-PJXSOANB.js")
    ]);
    const { DEMO_API_KEY, DEMO_GITHUB_TOKEN, DEMO_PLANES, demoConfigYaml, demoSelfHealYaml } = demo;
    const platform = new SandboxPlatform({
      apiKey: DEMO_API_KEY,
      planes: DEMO_PLANES,
      slowDelayMs: 300,
      asyncDurationMs: 300
    });
    sandbox = platform;
    const sandboxUrl = await platform.start();
    openedAtStartup.push(() => platform.close());
    const github = new SandboxGithub({
      token: DEMO_GITHUB_TOKEN,
      workflowInputs: ["workload_plane", "reason", "correlation_id"],
      queuedMs: 2e3,
      runMs: 4e3,
      onRunSucceeded: (inputs) => platform.repair(inputs.workload_plane ?? "")
    });
    sandboxGithub = github;
    const githubUrl = await github.start();
    openedAtStartup.push(() => github.close());
    const directory = mkdtempSync(join(tmpdir(), "planecheck-demo-"));
    demoDirectory = directory;
    openedAtStartup.push(() => rmSync(directory, { recursive: true, force: true }));
    const storagePath = join(directory, "planecheck.db");
    config = parseConfig(
      demoConfigYaml(sandboxUrl, `storage: { path: "${storagePath}" }
${demoSelfHealYaml(githubUrl)}`)
    );
  } else {
    const path = resolveConfigPath(values.config, process.env);
    if (path === void 0) {
      process.stderr.write(
        `planecheck: no config: pass --config FILE or set PLANECHECK_CONFIG (or --demo)
${HELP}`
      );
      return 2;
    }
    config = await loadConfigFile(path, process.env);
  }
  if (listenAt !== void 0) config = { ...config, server: { ...config.server, listen: listenAt } };
  let stdoutOpen = true;
  process.stdout.on("error", (error) => {
    if (!stdoutOpen) return;
    stdoutOpen = false;
    process.stderr.write(
      `planecheck: stdout closed (${error.code ?? error.message}); carrying on without logs
`
    );
  });
  const log = createLogger(config.log.level, (line) => {
    if (stdoutOpen) process.stdout.write(line);
  });
  const planeNames = config.workloadPlanes.map((plane) => plane.name);
  let recoveries = 0;
  const store = openSqliteStore(config.storage.path, {
    onRecovered: (event) => {
      recoveries++;
      log.error(
        "database file was not a usable SQLite database: moved it aside and started a fresh one",
        event
      );
    }
  });
  openedAtStartup.push(() => store.close());
  const board = new StatusBoard(
    planeNames,
    config.schedule.cacheTtl,
    store.latestResults(),
    (plane) => store.history(plane, RECENT_RESULTS)
  );
  const availability = new AvailabilityCache(store);
  const metrics = new PlanecheckMetrics(planeNames, board);
  for (let i = 0; i < recoveries; i++) metrics.recordStorageRecovery();
  const checker = createChecker(config);
  openedAtStartup.push(() => checker.close());
  let healer;
  const cycle = new CheckCycle({
    planes: config.workloadPlanes,
    checker,
    store,
    board,
    metrics,
    log,
    historyRetentionMs: config.storage.historyRetention,
    onResult: (result) => healer?.onResult(result)
  });
  const selfHeal = config.selfHeal;
  const healSettings = selfHealSettings(selfHeal);
  if (healSettings && config.github) {
    const [{ createGithubClient }, { SelfHealer }, { SqliteHealLog }] = await Promise.all([
      import("./chunks/octokit-client-NHAYNVVY.js"),
      import("./chunks/self-healer-KYI4JNBQ.js"),
      import("./chunks/sqlite-heal-log-VOSQXFJ5.js")
    ]);
    healer = new SelfHealer({
      settings: healSettings,
      github: createGithubClient(config.github, { log }),
      healLog: new SqliteHealLog(store.database),
      history: (plane, limit) => store.history(plane, limit),
      recheck: (plane) => cycle.checkNow(plane),
      metrics,
      log
    });
  }
  const scheduler = new CycleScheduler({
    intervalMs: config.schedule.interval,
    runCycle: (signal2) => cycle.run(signal2),
    onOverrun: () => {
      metrics.recordOverrun();
      log.warn("cycle skipped: the previous cycle is still running");
    },
    onError: (error) => log.error("cycle failed", { error: getErrorMessage(error) })
  });
  const currentStatus = () => statusResponse(
    board.states(),
    {
      intervalMs: config.schedule.interval,
      cacheTtlMs: config.schedule.cacheTtl,
      running: scheduler.running,
      lastCycleFinishedAt: cycle.lastFinishedAt
    },
    {
      healActions: (plane) => healer?.recentActions(plane).map(healActionView) ?? [],
      recent: (plane) => board.recent(plane),
      availability: (plane) => availability.get(plane)
    },
    Date.now()
  );
  let storeOpen = true;
  const server = createDaemonServer({
    log,
    auth: config.server.auth,
    readiness: () => ({
      ready: storeOpen && scheduler.running,
      checks: { store: storeOpen, scheduler: scheduler.running }
    }),
    protectedRoutes: createRoutes({
      metrics,
      status: currentStatus,
      planes: planeNames,
      history: (plane, limit) => store.history(plane, limit),
      planeStatus: (plane) => board.state(plane).status
    })
  });
  const url = await listenOrFreePort(server, config.server.listen, {
    // Only the demo moves to a free port: a configured or explicit address is where Prometheus scrapes.
    fallBack: values.demo && listenAt === void 0,
    log
  });
  openedAtStartup.length = 0;
  healer?.resume();
  scheduler.start();
  log.info("planecheck started", {
    url,
    planes: planeNames.length,
    intervalSeconds: config.schedule.interval / 1e3,
    storage: config.storage.path,
    selfHeal: healer ? selfHeal?.dryRun ? "dry-run" : "on" : "off"
  });
  if (sandbox) {
    process.stderr.write(
      `
planecheck demo: ${planeNames.length} sandbox planes, checked every ${config.schedule.interval / 1e3}s
  status page   ${url}/
  status API    ${url}/api/v1/status
  metrics       ${url}/metrics
  sandbox admin ${sandbox.url}/admin/planes   (break a plane: curl -X PUT ${sandbox.url}/admin/planes/us-east-1 -d '{"scenario":"no_user"}')
  sandbox GitHub ${sandboxGithub?.url ?? ""}/admin/runs   (self-heal dispatches the smoke-test workflow here; watch eu-west-1 and eu-central-1 heal)
  Ctrl-C stops it.

`
    );
  }
  const signal = await new Promise((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
  log.info("shutting down", { signal });
  setTimeout(() => {
    log.error("shutdown took too long; exiting");
    process.exit(1);
  }, 1e4).unref();
  await scheduler.stop();
  await healer?.stop();
  await closeServer(server);
  await checker.close();
  if (!cycle.flush(true)) log.error("some results could not be stored before shutdown");
  storeOpen = false;
  store.close();
  await sandbox?.close();
  await sandboxGithub?.close();
  if (demoDirectory !== void 0) rmSync(demoDirectory, { recursive: true, force: true });
  log.info("stopped");
  return 0;
}
async function listenOrFreePort(server, address, { fallBack, log }) {
  try {
    return await listen(server, address);
  } catch (error) {
    if (!fallBack || error.code !== "EADDRINUSE") throw error;
    const host = address.slice(0, address.lastIndexOf(":"));
    const url = await listen(server, `${host}:0`);
    log.warn("listen address in use; serving on a free port instead", { wanted: address, url });
    process.stderr.write(`planecheck demo: ${address} is in use; serving on ${url} instead
`);
    return url;
  }
}
try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}
`);
    process.exitCode = 2;
  } else if (error instanceof StoreError) {
    process.stderr.write(`planecheck: ${error.message}
`);
    process.exitCode = 2;
  } else if (error.code === "EADDRINUSE") {
    process.stderr.write(`planecheck: cannot listen: ${getErrorMessage(error)}
`);
    process.exitCode = 1;
  } else if (error.code?.toString().startsWith("ERR_PARSE_ARGS")) {
    process.stderr.write(`planecheck: ${getErrorMessage(error)}
${HELP}`);
    process.exitCode = 2;
  } else {
    process.stderr.write(
      `planecheck: ${error instanceof Error ? error.stack ?? error.message : String(error)}
`
    );
    process.exitCode = 1;
  }
  for (const close of openedAtStartup.reverse()) {
    try {
      await close();
    } catch {
    }
  }
}
