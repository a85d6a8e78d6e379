#!/usr/bin/env node
import {
  createLogger,
  getErrorMessage,
  selfHealSettings
} from "./chunks/chunk-S7XKYZ5J.js";
import {
  STATUS_GUIDE,
  createChecker,
  loadConfigFile,
  resolveConfigPath,
  toPlaneReport,
  unsupportedNode
} from "./chunks/chunk-3YBRGWLO.js";
import {
  PLANE_STATUSES,
  STEP_NAMES
} from "./chunks/chunk-NF23GUGB.js";
import "./chunks/chunk-TVCRBQ25.js";
import {
  ConfigError,
  parseConfig,
  parseListenAddress
} from "./chunks/chunk-KGVMHD67.js";
import {
  formatDuration,
  intervalToCron,
  longestRequestTimeout,
  maintenanceAt,
  parseDuration,
  parseRfc3339,
  selfHealEnabledBy,
  selfHealEnabledFor,
  selfHealOnForSomePlane,
  windowAt
} from "./chunks/chunk-ZU2X4UKQ.js";
import "./chunks/chunk-KNTKHN2X.js";
import {
  preferredPlanes,
  slotOf
} from "./chunks/chunk-O22MDFKW.js";
import {
  StoreError
} from "./chunks/chunk-F3KSDWOK.js";
import {
  redactStorageUrl
} from "./chunks/chunk-YBZLSVBB.js";

// src/daemon.ts
import { mkdtempSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

// src/config/instance-name.ts
var INSTANCE_ENV = "PLANECHECK_INSTANCE";
var INSTANCE_MAX_LENGTH = 100;
function resolveInstanceName(flag, env, host) {
  if (flag !== void 0) return validInstanceName(flag, "--instance");
  const fromEnv = env[INSTANCE_ENV];
  if (fromEnv !== void 0) return validInstanceName(fromEnv, INSTANCE_ENV);
  return validInstanceName(`${host.hostname}:${host.pid}`, "the host name");
}
function validInstanceName(name, source) {
  const problem = instanceNameProblem(name);
  if (problem === void 0) return name;
  throw new ConfigError([{ path: "", message: `instance name ${JSON.stringify(name)} ${problem}` }], source);
}
function instanceNameProblem(name) {
  const length = [...name].length;
  if (length === 0) return "is empty: give 1 to 100 printable characters without whitespace";
  if (length > INSTANCE_MAX_LENGTH) return `is ${length} characters long, more than ${INSTANCE_MAX_LENGTH}`;
  if (/\s/u.test(name)) return "contains whitespace";
  if (new RegExp("\\p{C}", "u").test(name)) return "contains a character that does not print";
  return void 0;
}

// src/daemon/check-cycle.ts
import { setImmediate as yieldToLoop } from "node:timers/promises";

// src/check/checker-slot.ts
var CheckerSlot = class {
  #current;
  #onCloseError;
  constructor(checker, onCloseError = () => void 0) {
    this.#current = { checker, uses: 0, retired: false };
    this.#onCloseError = onCloseError;
  }
  /** Runs `work` with the current checker, which stays open until `work` settles. */
  async use(work) {
    const held = this.#current;
    held.uses++;
    try {
      return await work(held.checker);
    } finally {
      held.uses--;
      if (held.retired && held.uses === 0) this.#close(held);
    }
  }
  /** Work started from now on uses `next`; the previous checker closes once its work has ended. */
  replace(next) {
    const old = this.#current;
    this.#current = { checker: next, uses: 0, retired: false };
    old.retired = true;
    if (old.uses === 0) this.#close(old);
  }
  /** Closes the current checker (shutdown, once no work is left). */
  close() {
    return this.#current.checker.close();
  }
  #close(held) {
    held.checker.close().catch(this.#onCloseError);
  }
};

// src/check/stored-result.ts
function toStoredResult(result, checkedBy) {
  const report = toPlaneReport(result);
  if (report.status === "NO_VALUE") throw new Error("a check result is never NO_VALUE");
  return {
    plane: result.plane,
    status: report.status,
    reason: report.reason,
    checkedAt: result.checkedAt,
    durationMs: result.durationMs,
    steps: report.steps,
    checkedBy
  };
}

// src/util/clock.ts
var systemClock = {
  wallNow: () => Date.now(),
  monoNow: () => performance.now()
};
function readClock(clock) {
  return { wall: clock.wallNow(), mono: clock.monoNow() };
}

// src/store/result-writer.ts
var WRITE_BATCH = 1e3;
var BATCH_MS = 100;
var ResultWriter = class {
  #store;
  #onError;
  #onDropped;
  #onStored;
  #maxPending;
  #backoffMs;
  #clock;
  #batchMs;
  /** Set while results wait for the batch's write. */
  #batchTimer;
  /** Waiting for the next write, oldest first. */
  #queued = [];
  /** In the write now in flight. */
  #writing = [];
  #draining;
  #retryAt = Number.NEGATIVE_INFINITY;
  constructor(options) {
    this.#store = options.store;
    this.#onError = options.onError;
    this.#onDropped = options.onDropped ?? (() => void 0);
    this.#onStored = options.onStored ?? (() => void 0);
    this.#maxPending = options.maxPending ?? 5e4;
    this.#backoffMs = options.backoffMs ?? 1e3;
    this.#clock = options.clock ?? systemClock;
    this.#batchMs = options.batchMs ?? BATCH_MS;
  }
  /** Results not yet stored: queued and in flight. */
  get pending() {
    return this.#queued.length + this.#writing.length;
  }
  /**
   * Queues a result; its batch is written `batchMs` after the first result in it arrived (at once with
   * `batchMs` 0), or when the write in flight ends. `now`: monotonic ms (the clock's unless given).
   */
  write(result, now = this.#clock.monoNow()) {
    this.#queued.push(result);
    this.#dropPastBound();
    if (this.#draining !== void 0 || this.#batchTimer !== void 0) return;
    if (this.#batchMs <= 0) {
      void this.flush(now);
      return;
    }
    this.#batchTimer = setTimeout(() => {
      this.#batchTimer = void 0;
      void this.flush();
    }, this.#batchMs);
  }
  /**
   * Writes what is queued now, not waiting for the batch, unless still backing off (a write in flight is
   * waited for first); true once nothing is left pending. Never rejects: a failure is reported to `onError`.
   */
  async flush(now = this.#clock.monoNow()) {
    clearTimeout(this.#batchTimer);
    this.#batchTimer = void 0;
    while (this.#draining !== void 0) await this.#draining;
    if (this.#queued.length === 0) return true;
    if (now < this.#retryAt) return false;
    this.#draining = this.#drain(now);
    return this.#draining;
  }
  /**
   * Writes batch after batch until the queue is empty or a write fails. It always awaits a write before
   * it ends, so `#draining` is set before it is cleared, and cleared in the same turn as the queue was
   * last seen empty: a result queued after that starts a write of its own.
   */
  async #drain(now) {
    try {
      do {
        this.#writing = this.#queued.splice(0, WRITE_BATCH);
        try {
          await this.#store.saveResults(this.#writing);
        } catch (error) {
          this.#queued = [...this.#writing, ...this.#queued];
          this.#writing = [];
          this.#dropPastBound();
          this.#retryAt = (Number.isFinite(now) ? now : this.#clock.monoNow()) + this.#backoffMs;
          this.#onError(error, this.pending);
          return false;
        }
        this.#writing = [];
        this.#onStored();
      } while (this.#queued.length > 0);
      return true;
    } finally {
      this.#draining = void 0;
    }
  }
  /** Drops the oldest queued results past the bound (never those in flight: the store has them). */
  #dropPastBound() {
    const over = this.pending - this.#maxPending;
    if (over <= 0) return;
    const dropped = Math.min(over, this.#queued.length);
    this.#queued.splice(0, dropped);
    if (dropped > 0) this.#onDropped(dropped);
  }
};

// src/daemon/check-cycle.ts
var everyPlane = (planes) => ({
  // eslint-disable-next-line @typescript-eslint/require-await -- an async generator, as the port asks
  async *batches() {
    yield planes().map((plane) => plane.name);
  }
});
var PRUNE_BATCH = 100;
var CHECKPOINT_EVERY_CYCLES = 10;
var CheckCycle = class {
  #deps;
  #writer;
  #share;
  /** The configured planes by name; replaced, never changed, by a reload (`setPlanes`). */
  #byName;
  #checkers;
  #cycles = 0;
  #tidying;
  #lastFinishedAt = null;
  constructor(deps) {
    this.#deps = deps;
    this.#share = deps.share ?? everyPlane(() => [...this.#byName.values()]);
    this.#byName = new Map(deps.planes.map((plane) => [plane.name, plane]));
    this.#checkers = new CheckerSlot(
      deps.checker,
      (error) => deps.log.warn("could not close the previous checker", { error: getErrorMessage(error) })
    );
    this.#writer = new ResultWriter({
      store: deps.store,
      onError: (error, pending) => {
        deps.metrics.recordStorageError("write");
        deps.onStoreFailed?.(error);
        deps.log.error("could not store results; keeping them in memory and retrying", {
          pending,
          error: getErrorMessage(error)
        });
      },
      onDropped: (count) => deps.log.error("dropped the oldest unstored results", { count }),
      onStored: deps.onStored
    });
  }
  /**
   * Writes results still waiting for the store; `force` (shutdown) skips the retry backoff and first
   * waits for pruning under way, so the store can be closed after. True when nothing is left unwritten.
   */
  async flush(force = false) {
    if (force) await this.#tidying;
    return this.#writer.flush(force ? Number.POSITIVE_INFINITY : void 0);
  }
  /**
   * Follows a reloaded config: the planes (with their settings) and, when given, a new checker. A cycle or
   * re-check under way finishes with what it started with; the old checker closes after it.
   */
  reconfigure(planes, checker) {
    this.#byName = new Map(planes.map((plane) => [plane.name, plane]));
    if (checker) this.#checkers.replace(checker);
  }
  /** Closes the checker's connections (shutdown, once checking has stopped). */
  closeChecker() {
    return this.#checkers.close();
  }
  get lastFinishedAt() {
    return this.#lastFinishedAt;
  }
  async run(signal) {
    const { metrics, log } = this.#deps;
    const started = performance.now();
    const counts = {};
    let checked = 0;
    const byName = this.#byName;
    await this.#checkers.use(async (checker) => {
      for await (const batch of this.#share.batches()) {
        if (signal.aborted) break;
        const planes = batch.flatMap((name) => byName.get(name) ?? []);
        checked += planes.length;
        await checker.check(planes, {
          signal,
          onInternalError: this.#reportInternalError,
          onResult: (result) => {
            if (signal.aborted) return;
            const stored2 = toStoredResult(result, this.#deps.instance);
            counts[stored2.status] = (counts[stored2.status] ?? 0) + 1;
            this.publish(stored2);
          }
        });
      }
    });
    void this.#writer.flush();
    if (signal.aborted) return;
    const durationMs = performance.now() - started;
    this.#cycles++;
    this.#lastFinishedAt = Date.now();
    metrics.recordCycle(durationMs);
    await metrics.refresh();
    log.info("cycle finished", {
      planes: checked,
      durationMs: Math.round(durationMs),
      statuses: counts
    });
    this.#deps.onCycleFinished?.(this.#deps.board.states());
    this.#tidying ??= this.#tidy(signal).finally(() => {
      this.#tidying = void 0;
    });
  }
  /**
   * Checks one plane right away (after a self-heal run) and publishes the result. A check cut short by
   * `signal` (shutdown) publishes nothing and gives undefined.
   */
  async checkNow(planeName, signal) {
    const plane = this.#byName.get(planeName);
    if (plane === void 0 || signal?.aborted) return void 0;
    const [result] = await this.#checkers.use(
      (checker) => checker.check([plane], { signal, onInternalError: this.#reportInternalError })
    );
    if (result === void 0 || signal?.aborted) return void 0;
    const stored2 = toStoredResult(result, this.#deps.instance);
    this.publish(stored2);
    void this.#writer.flush();
    await this.#deps.metrics.refresh();
    return stored2;
  }
  /** Checks the named planes now, outside the cycle (a fleet's rescued planes), and publishes each result. */
  async checkPlanes(names, signal) {
    const planes = names.flatMap((name) => this.#byName.get(name) ?? []);
    if (planes.length === 0 || signal.aborted) return;
    await this.#checkers.use(
      (checker) => checker.check(planes, {
        signal,
        onInternalError: this.#reportInternalError,
        onResult: (result) => {
          if (!signal.aborted) this.publish(toStoredResult(result, this.#deps.instance));
        }
      })
    );
    void this.#writer.flush();
  }
  /** A step threw: a bug in planecheck. Logged with its stack (for us), counted (for alerts). */
  #reportInternalError = ({ plane, step, error }) => {
    this.#deps.metrics.recordInternalError(step);
    this.#deps.log.error("internal error in a check step", {
      plane,
      step,
      error: getErrorMessage(error),
      stack: error instanceof Error ? error.stack : void 0
    });
  };
  /**
   * Stores one result, updates what readers see, and logs a status change. A plane a reload removed while
   * its check ran is stored (it was checked) but no longer shown.
   */
  publish(result) {
    const { board, metrics, log, onResult } = this.#deps;
    this.#writer.write(result);
    if (!this.#byName.has(result.plane)) return;
    const change = board.update(result);
    metrics.recordResult(result);
    if (change) log.info("status changed", { ...change });
    onResult?.(result);
  }
  /** Prunes old history in small batches between other work, and checkpoints the WAL now and then. */
  async #tidy(signal) {
    const { store, metrics, log, historyRetentionMs, checkpoint } = this.#deps;
    const cutoff = Date.now() - historyRetentionMs;
    try {
      let removed = 0;
      while (!signal.aborted) {
        const batch = await store.pruneHistory(cutoff, PRUNE_BATCH);
        removed += batch;
        if (batch < PRUNE_BATCH) break;
        await yieldToLoop();
      }
      if (removed > 0) log.debug("pruned check history", { removed });
      if (this.#cycles % CHECKPOINT_EVERY_CYCLES === 0) checkpoint?.();
    } catch (error) {
      metrics.recordStorageError("prune");
      log.error("could not prune check history", { error: getErrorMessage(error) });
    }
  }
};

// src/metrics/metrics.ts
import { collectDefaultMetrics, Counter, Gauge as Gauge2, Histogram, Registry } from "prom-client";

// src/metrics/event-loop-delay.ts
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Gauge } from "prom-client";
var EVENT_LOOP_DELAY_METRICS = {
  min: "nodejs_eventloop_lag_min_seconds",
  max: "nodejs_eventloop_lag_max_seconds",
  mean: "nodejs_eventloop_lag_mean_seconds",
  stddev: "nodejs_eventloop_lag_stddev_seconds",
  p50: "nodejs_eventloop_lag_p50_seconds",
  p90: "nodejs_eventloop_lag_p90_seconds",
  p99: "nodejs_eventloop_lag_p99_seconds"
};
function registerEventLoopDelay(registry, resolutionMs, histogram = monitorEventLoopDelay({
  resolution: resolutionMs
})) {
  const intervalNs = resolutionMs * 1e6;
  const delay = (ns) => Math.max(0, ns - intervalNs) / 1e9;
  const gauge = (key2, collect) => new Gauge({ name: EVENT_LOOP_DELAY_METRICS[key2], help: HELP[key2], registers: [registry], collect });
  const min = gauge("min", () => {
    if (histogram.count === 0) return;
    min.set(delay(histogram.min));
    max.set(delay(histogram.max));
    mean.set(delay(histogram.mean));
    stddev.set(histogram.stddev / 1e9);
    p50.set(delay(histogram.percentile(50)));
    p90.set(delay(histogram.percentile(90)));
    p99.set(delay(histogram.percentile(99)));
    histogram.reset();
  });
  const max = gauge("max");
  const mean = gauge("mean");
  const stddev = gauge("stddev");
  const p50 = gauge("p50");
  const p90 = gauge("p90");
  const p99 = gauge("p99");
  histogram.enable?.();
  return () => void histogram.disable?.();
}
var HELP = {
  min: "The shortest event loop delay since the last collection, in seconds.",
  max: "The longest event loop delay since the last collection, in seconds.",
  mean: "The mean event loop delay since the last collection, in seconds.",
  stddev: "The standard deviation of the event loop delays since the last collection, in seconds.",
  p50: "The median event loop delay since the last collection, in seconds.",
  p90: "The 90th percentile of the event loop delays since the last collection, in seconds.",
  p99: "The 99th percentile of the event loop delays since the last collection, in seconds."
};

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
var STORED_BLOCK_MAX = 65535;
function storedPart(text2, crcBefore = 0) {
  const bytes = Buffer.from(text2);
  const segments = [];
  for (let offset = 0; offset < bytes.length; offset += STORED_BLOCK_MAX) {
    const block = bytes.subarray(offset, offset + STORED_BLOCK_MAX);
    const header = Buffer.alloc(5);
    header.writeUInt16LE(block.length, 1);
    header.writeUInt16LE(~block.length & 65535, 3);
    segments.push(header, block);
  }
  return { segments, size: bytes.length, crc: crc32(bytes, crcBefore) };
}
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
var SUCCESS = "planecheck_check_success";
var FAILURE_INFO = "planecheck_last_failure_info";
var STATUS_HELP = "Current status of each workload plane: 1 for the status it is in, 0 for the other four.";
var LAST_CHECK_HELP = "Unix time of the last completed check of each workload plane.";
var SUCCESS_HELP = "Whether the current result of each workload plane is HEALTHY (1), or anything else, NO_VALUE included (0).";
var FAILURE_INFO_HELP = "The failing step and reason of each NO_USER, NO_ORACLE or FAILED plane (1); no series for other planes.";
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
  yield `
# HELP ${SUCCESS} ${SUCCESS_HELP}
# TYPE ${SUCCESS} gauge
`;
  for (const state of states) {
    yield `${SUCCESS}{${planeLabel(state.plane)}} ${state.status === "HEALTHY" ? 1 : 0}
`;
  }
  yield `
# HELP ${FAILURE_INFO} ${FAILURE_INFO_HELP}
# TYPE ${FAILURE_INFO} gauge
`;
  for (const state of states) {
    const failure = currentFailure(state);
    if (failure === void 0) continue;
    yield `${FAILURE_INFO}{${planeLabel(state.plane)},step="${failure.step}",reason="${escapeLabel(failure.reason)}"} 1
`;
  }
  yield "\n";
}
function currentFailure(state) {
  if (state.status === "HEALTHY" || state.status === "NO_VALUE" || state.reason === null) return void 0;
  const step = state.steps.find((candidate) => candidate.outcome !== "ok")?.step ?? stepOfReason(state.reason);
  return step === void 0 ? void 0 : { step, reason: state.reason };
}
function stepOfReason(reason) {
  if (reason === "user_not_found") return "user_lookup";
  if (reason === "oracle_not_found") return "oracle_lookup";
  return [...STEP_NAMES].sort((a, b) => b.length - a.length).find((step) => reason.startsWith(`${step}_`));
}

// src/metrics/plane-counter.ts
var PlaneCounter = class {
  #name;
  #help;
  #labels;
  #values;
  #index;
  /** Per plane: its label (`workload_plane="..."`), and a count per value. */
  #series = /* @__PURE__ */ new Map();
  /**
   * `label` and `values`: one further label and its values; or several labels and, per series, one
   * value for each (`label: ['reason', 'outcome'], values: [['NO_USER', 'dispatched'], ...]`).
   */
  constructor(options) {
    this.#name = options.name;
    this.#help = options.help;
    this.#labels = typeof options.label === "string" ? [options.label] : options.label;
    this.#values = options.values.map((value) => typeof value === "string" ? [value] : value);
    for (const value of this.#values) {
      if (value.length !== this.#labels.length)
        throw new Error(`${this.#name}: ${JSON.stringify(value)} does not match ${this.#labels.join(", ")}`);
    }
    this.#index = new Map(this.#values.map((value, i) => [key(value), i]));
  }
  /** Creates the plane's series at zero. */
  zero(plane) {
    this.#get(plane);
  }
  /** Drops the plane's series (no longer configured). */
  remove(plane) {
    this.#series.delete(plane);
  }
  inc(plane, value, by = 1) {
    const values = typeof value === "string" ? [value] : value;
    const i = this.#index.get(key(values));
    if (i === void 0) {
      const shown = values.map((v, j) => `${this.#labels[j] ?? "?"} "${v}"`).join(", ");
      throw new Error(`${this.#name}: unknown ${shown}`);
    }
    const counts = this.#get(plane).counts;
    counts[i] = (counts[i] ?? 0) + by;
  }
  *render() {
    yield `# HELP ${this.#name} ${escapeHelp(this.#help)}
# TYPE ${this.#name} counter
`;
    const valueLabels = this.#values.map(
      (values) => values.map((value, j) => `${this.#labels[j] ?? ""}="${escapeLabel(value)}"`).join(",")
    );
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
function key(values) {
  return values.join("\0");
}

// src/metrics/step-histogram.ts
var StepHistogram = class {
  #name;
  #help;
  #buckets;
  #bucketLabels;
  #stepLabel;
  /** Plane (with its escaped label), then step: no key string to build per observation. */
  #series = /* @__PURE__ */ new Map();
  /** `stepLabel: false`: a histogram per plane only (observe with step ''), such as the whole check's. */
  constructor(options) {
    this.#stepLabel = options.stepLabel ?? true;
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
  /** Drops every series of the plane (no longer configured). */
  remove(plane) {
    this.#series.delete(plane);
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
        const seriesLabels = this.#stepLabel ? `${plane},step="${series.step}"` : plane;
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

// src/metrics/build-info.ts
var BUILD_INFO = {
  version: true ? "0.1.0" : "unknown",
  revision: true ? "unknown" : "unknown"
};

// src/metrics/metrics.ts
var STEP_BUCKETS = [0.1, 0.25, 1, 2.5, 10];
var TOTAL_BUCKETS = [0.5, 1, 2.5, 10, 30];
var CYCLE_BUCKETS = [0.5, 1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120];
var DISPATCH_OUTCOMES = [
  "dispatched",
  "cooldown",
  "in_progress",
  "threshold",
  "rate_capped",
  "dry_run",
  "rate_limited",
  "error",
  "held",
  "maintenance"
];
var HEAL_REASONS = ["NO_USER", "NO_ORACLE"];
var HEAL_OUTCOMES = ["fixed", "workflow_failed", "still_broken", "timed_out"];
var RUN_CONCLUSIONS = [
  "success",
  "failure",
  "cancelled",
  "timed_out",
  "neutral",
  "skipped",
  "action_required",
  "stale",
  "startup_failure",
  "other"
];
var STORAGE_OPERATIONS = ["write", "read", "prune", "share", "poll"];
var TLS_EXPIRY = "planecheck_tls_cert_expiry_timestamp_seconds";
var PROCESS_METRICS_MS = 1e3;
var EVENT_LOOP_SAMPLE_MS = 100;
var MAINTENANCE = "planecheck_maintenance";
var PLANE_INFO = "planecheck_plane_info";
var PlanecheckMetrics = class {
  /** planecheck's own gauges read at every scrape. */
  #live = new Registry();
  /** prom-client's process and Node.js metrics (see PROCESS_METRICS_MS). */
  #process = new Registry();
  #cycle = new Registry();
  #source;
  #tlsExpiry;
  #planes;
  /** The planes of `#planes`: what a late result of a plane a reload removed is checked against. */
  #planeSet;
  #selfHeal;
  #inMaintenance;
  #planeLabels;
  /**
   * The status gauges as of `version`, chained after the cycle part `cycle`; `validUntil` is monotonic;
   * `rendering` until the part is done.
   */
  #status;
  /** The process metrics' text, and when (monotonic) it was asked for. */
  #processText;
  /** That text compressed to follow the status part `after`. */
  #processPart;
  #cyclePart;
  #refreshing = Promise.resolve();
  /** Parts decompressed for plain-text scrapes; an entry goes when its part is replaced. */
  #texts = /* @__PURE__ */ new WeakMap();
  #dirty = true;
  #githubBackoff = { until: () => 0, now: Date.now };
  #store = { up: () => true, instances: () => 1 };
  #checkDuration;
  #checkTotalDuration;
  #checksTotal;
  #cycleDuration;
  #cyclesTotal;
  #overrunsTotal;
  #storageErrors;
  #storageRecoveries;
  #dispatches;
  #runs;
  #healOutcomes;
  #renderFailures;
  #registries;
  #onRenderError;
  #internalErrors;
  #cacheTtl;
  #reloads;
  #lastReloadSuccess;
  #lastReloadSuccessAt;
  constructor(planes, source, options = {}) {
    this.#source = source;
    this.#tlsExpiry = options.tlsExpiry;
    this.#planes = [...planes];
    this.#planeSet = new Set(planes);
    this.#selfHeal = options.selfHeal ?? false;
    this.#inMaintenance = options.inMaintenance ?? (() => false);
    this.#planeLabels = options.planeLabels ?? (() => ({}));
    this.#registries = options.registries ?? [];
    this.#onRenderError = options.onRenderError ?? (() => void 0);
    const cycle = [this.#cycle];
    collectDefaultMetrics({ register: this.#process, eventLoopMonitoringPrecision: 2 ** 31 - 1 });
    for (const name of [
      "nodejs_active_handles_total",
      "nodejs_active_requests_total",
      "nodejs_active_resources_total",
      ...Object.values(EVENT_LOOP_DELAY_METRICS)
    ]) {
      this.#process.removeSingleMetric(name);
    }
    registerEventLoopDelay(this.#process, EVENT_LOOP_SAMPLE_MS);
    const backoff = () => this.#githubBackoff;
    new Gauge2({
      name: "planecheck_github_backoff_until_seconds",
      help: "Unix time until which GitHub asked for no requests (rate limit); 0 when there is no such stop.",
      registers: [this.#live],
      collect() {
        const { until, now } = backoff();
        const at2 = until();
        this.set(at2 > now() ? at2 / 1e3 : 0);
      }
    });
    const store = () => this.#store;
    new Gauge2({
      name: "planecheck_storage_up",
      help: "1 while the store (SQLite file or PostgreSQL) answers, 0 while it does not: results are held in memory and self-heal makes no dispatch.",
      registers: [this.#live],
      collect() {
        this.set(store().up() ? 1 : 0);
      }
    });
    new Gauge2({
      name: "planecheck_fleet_instances",
      help: "Replicas alive in the fleet as this one last saw them (1 for a daemon on SQLite).",
      registers: [this.#live],
      collect() {
        this.set(store().instances());
      }
    });
    this.#checkDuration = new StepHistogram({
      name: "planecheck_check_duration_seconds",
      help: "Duration of each step of a plane check.",
      buckets: STEP_BUCKETS
    });
    this.#checkTotalDuration = new StepHistogram({
      name: "planecheck_check_total_duration_seconds",
      help: "Duration of a whole plane check, all steps.",
      buckets: TOTAL_BUCKETS,
      stepLabel: false
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
      help: "Failed writes or reads of the store (SQLite or PostgreSQL).",
      labelNames: ["operation"],
      registers: cycle
    });
    this.#storageRecoveries = new Counter({
      name: "planecheck_storage_recoveries_total",
      help: "Times the database file was unusable, moved aside and replaced by a fresh one.",
      registers: cycle
    });
    this.#dispatches = new PlaneCounter({
      name: "planecheck_self_heal_dispatches_total",
      help: "Self-heal decisions on NO_USER/NO_ORACLE planes, by outcome (dispatched, or why not).",
      label: ["reason", "outcome"],
      values: HEAL_REASONS.flatMap((reason) => DISPATCH_OUTCOMES.map((outcome) => [reason, outcome]))
    });
    this.#runs = new PlaneCounter({
      name: "planecheck_self_heal_runs_total",
      help: "Completed smoke-test workflow runs started by self-heal, by conclusion.",
      label: "conclusion",
      values: RUN_CONCLUSIONS
    });
    this.#healOutcomes = new PlaneCounter({
      name: "planecheck_self_heal_outcomes_total",
      help: "Finished self-heal attempts: fixed, workflow_failed, still_broken or timed_out.",
      label: "outcome",
      values: HEAL_OUTCOMES
    });
    const info = new Gauge2({
      name: "planecheck_build_info",
      help: "The running build: version, git revision (unknown when built outside git) and Node.js version.",
      labelNames: ["version", "revision", "nodejs"],
      registers: cycle
    });
    info.set({ version: BUILD_INFO.version, revision: BUILD_INFO.revision, nodejs: process.version }, 1);
    if (options.intervalMs !== void 0) {
      new Gauge2({
        name: "planecheck_schedule_interval_seconds",
        help: "The configured schedule.interval: a cycle starts this often.",
        registers: cycle
      }).set(options.intervalMs / 1e3);
    }
    if (options.cacheTtlMs !== void 0) {
      this.#cacheTtl = new Gauge2({
        name: "planecheck_cache_ttl_seconds",
        help: "The configured schedule.cacheTtl: a result older than this reads as NO_VALUE.",
        registers: cycle
      });
      this.#cacheTtl.set(options.cacheTtlMs / 1e3);
    }
    this.#reloads = new Counter({
      name: "planecheck_config_reloads_total",
      help: "Config reloads (SIGHUP) by result: success, or failure (the new config was refused; the old one runs on).",
      labelNames: ["result"],
      registers: cycle
    });
    this.#lastReloadSuccess = new Gauge2({
      name: "planecheck_config_last_reload_success",
      help: "Whether the last config reload succeeded (1, and at start) or was refused (0): the running config is not the file.",
      registers: cycle
    });
    this.#lastReloadSuccessAt = new Gauge2({
      name: "planecheck_config_last_reload_success_timestamp_seconds",
      help: "Unix time of the last successful config reload, or of the start.",
      registers: cycle
    });
    for (const result of ["success", "failure"]) this.#reloads.inc({ result }, 0);
    this.#lastReloadSuccess.set(1);
    this.#lastReloadSuccessAt.set(Date.now() / 1e3);
    this.#renderFailures = new Counter({
      name: "planecheck_metrics_render_errors_total",
      help: "Refreshes of the cached histograms and counters that failed; the previous render was served.",
      registers: cycle
    });
    this.#internalErrors = new Counter({
      name: "planecheck_internal_errors_total",
      help: "Exceptions thrown inside a check step: bugs in planecheck, reported as {step}_internal_error.",
      labelNames: ["step"],
      registers: cycle
    });
    for (const step of STEP_NAMES) this.#internalErrors.inc({ step }, 0);
    for (const plane of planes) this.#zeroPlane(plane);
    for (const operation of STORAGE_OPERATIONS) this.#storageErrors.inc({ operation }, 0);
    this.#cyclesTotal.inc(0);
    this.#overrunsTotal.inc(0);
    this.#storageRecoveries.inc(0);
    this.#renderFailures.inc(0);
  }
  /** Zeroes every series of a plane up front, so rate() and increase() work from the first scrape. */
  #zeroPlane(plane) {
    this.#checksTotal.zero(plane);
    for (const step of STEP_NAMES) this.#checkDuration.zero(plane, step);
    this.#checkTotalDuration.zero(plane, "");
    if (this.#selfHeal) {
      this.#dispatches.zero(plane);
      this.#runs.zero(plane);
      this.#healOutcomes.zero(plane);
    }
  }
  /**
   * Follows a reloaded config: a new plane's series start at zero, a removed plane's go (counters and
   * histograms included), and `planecheck_maintenance` lists the new set. Rendered now.
   */
  setPlanes(planes) {
    const keep = new Set(planes);
    for (const plane of this.#planes) {
      if (keep.has(plane)) continue;
      for (const series of [this.#checkDuration, this.#checkTotalDuration, this.#checksTotal])
        series.remove(plane);
      for (const counter of [this.#dispatches, this.#runs, this.#healOutcomes]) counter.remove(plane);
    }
    const known = new Set(this.#planes);
    for (const plane of planes) if (!known.has(plane)) this.#zeroPlane(plane);
    this.#planes = [...planes];
    this.#planeSet = keep;
    this.#dirty = true;
    return this.refresh();
  }
  /** A reloaded `schedule.cacheTtl`, for `planecheck_cache_ttl_seconds`. */
  setCacheTtl(cacheTtlMs) {
    this.#cacheTtl?.set(cacheTtlMs / 1e3);
    this.#dirty = true;
  }
  /** A config reload: applied (`at`, epoch ms) or refused. Rendered now, for the alert. */
  recordReload(success, at2 = Date.now()) {
    this.#reloads.inc({ result: success ? "success" : "failure" });
    this.#lastReloadSuccess.set(success ? 1 : 0);
    if (success) this.#lastReloadSuccessAt.set(at2 / 1e3);
    this.#dirty = true;
    return this.refresh();
  }
  /** Where `planecheck_github_backoff_until_seconds` reads the stop (epoch ms) from: the heal log. */
  watchGithubBackoff(until, now = Date.now) {
    this.#githubBackoff = { until, now };
  }
  /** Where `planecheck_storage_up` and `planecheck_fleet_instances` read from, at every scrape. */
  watchStore(up, instances) {
    this.#store = { up, instances };
  }
  recordResult(result) {
    const plane = result.plane;
    if (!this.#planeSet.has(plane)) return;
    this.#checksTotal.inc(plane, result.status);
    for (const step of result.steps) this.#checkDuration.observe(plane, step.step, step.durationMs / 1e3);
    this.#checkTotalDuration.observe(plane, "", result.durationMs / 1e3);
    this.#dirty = true;
  }
  recordCycle(durationMs) {
    this.#cycleDuration.observe(durationMs / 1e3);
    this.#cyclesTotal.inc();
    this.#dirty = true;
  }
  recordInternalError(step) {
    this.#internalErrors.inc({ step });
    this.#dirty = true;
  }
  /**
   * A tick was skipped. Rendered now, not at the end of the long cycle that caused it: an overrun is
   * what an alert wants to see while the cycle is still stuck.
   */
  recordOverrun() {
    this.#overrunsTotal.inc();
    this.#dirty = true;
    void this.refresh();
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
    if (!this.#planeSet.has(plane)) return;
    this.#dispatches.inc(plane, [reason, outcome]);
    this.#dirty = true;
  }
  /** A conclusion outside GitHub's known ones is counted as `other`. */
  recordRun(plane, conclusion) {
    if (!this.#planeSet.has(plane)) return;
    const known = RUN_CONCLUSIONS.includes(conclusion);
    this.#runs.inc(plane, known ? conclusion : "other");
    this.#dirty = true;
  }
  /**
   * A plane went into or out of maintenance (the API, or a refresh that found a change): rendered now.
   * Configured windows that start or end on their own show from the next cycle's refresh on.
   */
  maintenanceChanged() {
    this.#dirty = true;
    return this.refresh();
  }
  recordHealOutcome(plane, outcome) {
    if (!this.#planeSet.has(plane)) return;
    this.#healOutcomes.inc(plane, outcome);
    this.#dirty = true;
  }
  /**
   * Re-renders the histograms and counters; the daemon calls this once per cycle and after self-heal
   * events. Refreshes run one after another, so an older one never replaces a newer one. It never
   * rejects: a failed render is reported and counted, the last good render stays, and the next refresh
   * renders again (a rejection kept in the chain would fail every later refresh, and every cycle with it).
   */
  refresh() {
    this.#refreshing = this.#refreshing.then(() => this.#renderCyclePart()).catch((error) => {
      this.#dirty = true;
      this.#renderFailures.inc();
      try {
        this.#onRenderError(error);
      } catch {
      }
    });
    return this.#refreshing;
  }
  async #renderCyclePart() {
    if (!this.#dirty && this.#cyclePart) return;
    this.#dirty = false;
    const writer = new CompressedPartWriter();
    try {
      await writer.write(this.#checkDuration.render());
      await writer.write(["\n"]);
      await writer.write(this.#checkTotalDuration.render());
      await writer.write(["\n"]);
      await writer.write(this.#checksTotal.render());
      for (const counter of [this.#dispatches, this.#runs, this.#healOutcomes]) {
        await writer.write(["\n"]);
        await writer.write(counter.render());
      }
      if (this.#tlsExpiry) await writer.write(renderTlsExpiry(this.#tlsExpiry()));
      await writer.write(renderMaintenance(this.#planes, this.#inMaintenance));
      await writer.write(renderPlaneInfo(this.#planes, this.#planeLabels));
      await writer.write([`
${await this.#cycle.metrics()}
`]);
      for (const registry of this.#registries) await writer.write([`${await registry.metrics()}
`]);
    } catch (error) {
      await writer.end().catch(() => void 0);
      throw error;
    }
    this.#cyclePart = await writer.end();
  }
  get contentType() {
    return this.#live.contentType;
  }
  /**
   * The full exposition as one gzip stream, in buffers to write in order: histograms and counters,
   * status gauges, process metrics, then planecheck's live gauges.
   */
  async render() {
    const { cycle, status, process: process2, live } = await this.#parts();
    const processPart = this.#compressedProcess(process2, status);
    return gzipParts([cycle, status, processPart, storedPart(live, processPart.crc)]);
  }
  /**
   * The same exposition as text, for a scraper without gzip (people, curl). The large parts are
   * decompressed once per change and kept while current, so repeated plain scrapes cost no more.
   */
  async renderText() {
    const { cycle, status, process: process2, live } = await this.#parts();
    return [
      ...await this.#textOf(cycle),
      ...await this.#textOf(status),
      Buffer.from(process2),
      Buffer.from(live)
    ];
  }
  async #parts() {
    await (this.#cyclePart ? this.#refreshing : this.refresh());
    const cycle = this.#cyclePart ?? compressPartSync("");
    const [status, process2, live] = await Promise.all([
      this.#statusFor(cycle),
      this.#processMetrics(),
      this.#live.metrics()
    ]);
    return { cycle, status, process: process2, live };
  }
  /** The process metrics' text: rendered again once PROCESS_METRICS_MS have passed since the last render began. */
  #processMetrics() {
    const now = performance.now();
    const cached = this.#processText;
    if (cached && now - cached.at < PROCESS_METRICS_MS) return cached.text;
    const entry = { text: this.#process.metrics(), at: now };
    this.#processText = entry;
    entry.text.catch(() => {
      if (this.#processText === entry) this.#processText = void 0;
    });
    return entry.text;
  }
  /** The process metrics compressed after `status`: once per text and status part, not per scrape. */
  #compressedProcess(text2, status) {
    const cached = this.#processPart;
    if (cached && cached.text === text2 && cached.after === status) return cached.part;
    const part = compressPartSync(text2, status.crc);
    this.#processPart = { text: text2, after: status, part };
    return part;
  }
  #textOf(part) {
    let text2 = this.#texts.get(part);
    if (text2 === void 0) {
      text2 = inflatePart(part);
      this.#texts.set(part, text2);
    }
    return text2;
  }
  /**
   * The status gauges, rendered again only when a result arrived or expired, or the cycle part changed.
   * A scrape that arrives while they render shares that render even if results arrived since it began (it
   * shows the board as of a few milliseconds before): under a cycle's results and many scrapes at once,
   * each scrape would otherwise start a render of its own. Never past an expiry: NO_VALUE shows on time.
   */
  #statusFor(cycle) {
    const cached = this.#status;
    const version = this.#source.version;
    const now = performance.now();
    if (cached && (cached.version === version || cached.rendering) && now < cached.validUntil && cached.cycle === cycle) {
      return cached.part;
    }
    const writer = new CompressedPartWriter(cycle.crc);
    const part = writer.write(renderStatusGauges(this.#source.states())).then(() => writer.end());
    const entry = {
      part,
      version,
      validUntil: now + (this.#source.msUntilNextExpiry() ?? Infinity),
      cycle,
      rendering: true
    };
    this.#status = entry;
    part.then(
      () => entry.rendering = false,
      () => {
        if (this.#status === entry) this.#status = void 0;
      }
    );
    return part;
  }
};
function* renderMaintenance(planes, inMaintenance) {
  yield `
# HELP ${MAINTENANCE} 1 while the plane is in maintenance (still checked, never self-healed, alerts quiet), else 0.
`;
  yield `# TYPE ${MAINTENANCE} gauge
`;
  for (const plane of planes) yield `${MAINTENANCE}{${planeLabel(plane)}} ${inMaintenance(plane) ? 1 : 0}
`;
}
function* renderPlaneInfo(planes, labelsOf) {
  yield `
# HELP ${PLANE_INFO} Always 1; labels are the plane's configured labels (workloadPlanes[].labels), for routing alerts.
`;
  yield `# TYPE ${PLANE_INFO} gauge
`;
  for (const plane of planes) {
    let labels = planeLabel(plane);
    for (const [name, value] of Object.entries(labelsOf(plane))) labels += `,${name}="${escapeLabel(value)}"`;
    yield `${PLANE_INFO}{${labels}} 1
`;
  }
}
function* renderTlsExpiry(expiries) {
  yield `
# HELP ${TLS_EXPIRY} When the TLS certificate each HTTPS plane presented expires (Unix time).
`;
  yield `# TYPE ${TLS_EXPIRY} gauge
`;
  for (const [plane, expiresAt] of expiries) {
    yield `${TLS_EXPIRY}{${planeLabel(plane)}} ${formatValue(expiresAt / 1e3)}
`;
  }
}

// src/platform/tls-expiry.ts
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { TLSSocket } from "node:tls";
var CONNECTED = "undici:client:connected";
var TlsExpiryTracker = class {
  /** Origin (`https://host:port`) -> the planes served there. */
  #planesByOrigin = /* @__PURE__ */ new Map();
  /** Plane -> expiry, epoch milliseconds. */
  #expiry = /* @__PURE__ */ new Map();
  #subscribed = false;
  #started = false;
  constructor(planes) {
    this.setPlanes(planes);
  }
  /**
   * Follows a reloaded config: a removed plane's expiry goes; a plane moved to another origin shows once a
   * connection there is made; a new plane on an origin already seen starts with that origin's expiry.
   */
  setPlanes(planes) {
    const seen = /* @__PURE__ */ new Map();
    for (const [origin, names] of this.#planesByOrigin) {
      const expiry = names.map((name) => this.#expiry.get(name)).find((at2) => at2 !== void 0);
      if (expiry !== void 0) seen.set(origin, expiry);
    }
    this.#planesByOrigin.clear();
    this.#expiry.clear();
    for (const plane of planes) {
      const url = new URL(plane.inferenceUrl);
      if (url.protocol !== "https:") continue;
      const list = this.#planesByOrigin.get(url.origin) ?? [];
      list.push(plane.name);
      this.#planesByOrigin.set(url.origin, list);
      const expiry = seen.get(url.origin);
      if (expiry !== void 0) this.#expiry.set(plane.name, expiry);
    }
    if (this.#started) this.#subscribe();
  }
  /** Starts listening; with no HTTPS plane there is nothing to listen for. */
  start() {
    this.#started = true;
    this.#subscribe();
  }
  #subscribe() {
    if (this.#subscribed || this.#planesByOrigin.size === 0) return;
    subscribe(CONNECTED, this.#onConnected);
    this.#subscribed = true;
  }
  stop() {
    this.#started = false;
    if (!this.#subscribed) return;
    unsubscribe(CONNECTED, this.#onConnected);
    this.#subscribed = false;
  }
  /** Each HTTPS plane whose certificate has been seen, with its expiry in epoch milliseconds. */
  expiries() {
    return this.#expiry;
  }
  #onConnected = (message) => {
    const { connectParams, socket } = message;
    if (!(socket instanceof TLSSocket) || connectParams?.protocol !== "https:" || !connectParams.host) return;
    const planes = this.#planesByOrigin.get(new URL(`https://${connectParams.host}`).origin);
    if (planes === void 0) return;
    const validTo = Date.parse(socket.getPeerCertificate().valid_to);
    if (Number.isNaN(validTo)) return;
    for (const plane of planes) this.#expiry.set(plane, validTo);
  };
};

// src/scheduler/cycle-scheduler.ts
import cron from "node-cron";

// src/scheduler/clock-step.ts
var CLOCK_STEP_TOLERANCE_MS = 1e3;
function clockStep(before, after, toleranceMs = CLOCK_STEP_TOLERANCE_MS) {
  const stepMs = after.wall - before.wall - (after.mono - before.mono);
  return Math.abs(stepMs) > toleranceMs ? Math.round(stepMs) : void 0;
}

// src/scheduler/cycle-scheduler.ts
var CLOCK_CHECK_MS = 1e3;
var CycleScheduler = class {
  #options;
  #task;
  #clock;
  #abort = new AbortController();
  #current;
  #currentIsScheduled = false;
  #started = false;
  #lastReading;
  #clockTimer;
  #missed = 0;
  constructor(options) {
    const expression = intervalToCron(options.intervalMs);
    if (expression === void 0) throw new Error(`no cron schedule ticks every ${options.intervalMs}ms`);
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#task = cron.createTask(expression, () => this.trigger(), {
      timezone: "UTC",
      name: "planecheck-cycle",
      noOverlap: false,
      logger: cronLogger(options.log),
      // A tick delayed by a busy event loop still runs, up to one interval late (default: 1 s).
      missedExecutionTolerance: options.intervalMs
    });
    this.#task.on("execution:missed", () => this.#countMissed());
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
    this.#lastReading = readClock(this.#clock);
    this.#clockTimer = setInterval(() => this.checkClock(), CLOCK_CHECK_MS);
    this.#clockTimer.unref();
    this.#begin(false);
  }
  /** A scheduled tick: starts a cycle unless one is running. */
  trigger() {
    this.#begin(true);
  }
  /**
   * Compares both clocks with the last reading; on a wall-clock step, re-arms the cron task so that
   * the next tick is one interval away on the new wall clock. Returns the step, if any.
   */
  checkClock() {
    if (!this.running || this.#lastReading === void 0) return void 0;
    const reading = readClock(this.#clock);
    const stepMs = clockStep(this.#lastReading, reading);
    this.#lastReading = reading;
    if (stepMs === void 0) return void 0;
    void this.#task.stop();
    void this.#task.start();
    this.#options.onClockStep?.(stepMs);
    return stepMs;
  }
  #countMissed() {
    if (this.#missed++ > 0) return;
    setImmediate(() => {
      const count = this.#missed;
      this.#missed = 0;
      this.#options.onMissedTicks?.(count);
    });
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
    clearInterval(this.#clockTimer);
    await this.#task.destroy();
    await this.#current;
  }
};
function cronLogger(log) {
  const fields = (error) => error === void 0 ? {} : { error: getErrorMessage(error) };
  const text2 = (message) => `node-cron: ${getErrorMessage(message)}`;
  return {
    info: (message) => log.debug(text2(message)),
    debug: (message, error) => log.debug(text2(message), fields(error)),
    warn: (message) => log.warn(text2(message)),
    error: (message, error) => log.error(text2(message), fields(error))
  };
}

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
function actorOf(auth) {
  if (auth === void 0) return "api:loopback";
  if ("bearerToken" in auth) return "api:bearer";
  return `api:${auth.username}`;
}
function listensOnLoopback(address) {
  const host = address.slice(0, address.lastIndexOf(":")).replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
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
  const auth = deps.auth?.();
  const url = parseRequestTarget(req.url);
  if (url === void 0) return send(res, req, json({ error: "the request target is not a valid URL" }, 400));
  if (req.method !== "GET" && req.method !== "HEAD") {
    const write = req.method === "POST" || req.method === "DELETE" ? findRoute(deps.writeRoutes ?? {}, url.pathname) : void 0;
    if (write === void 0) {
      return send(res, req, {
        ...json({ error: "method not allowed" }, 405),
        headers: { allow: "GET, HEAD" }
      });
    }
    if (!isAuthorized(req.headers.authorization, auth)) {
      const headers = auth ? { "www-authenticate": challenge(auth) } : void 0;
      return send(res, req, { ...json({ error: "unauthorized" }, 401), headers });
    }
    if (auth === void 0 && deps.writesOpen !== true) {
      const error = "changes through the API need server.auth (bearerToken, or username and password) when the server listens beyond loopback; configure it, or listen on 127.0.0.1";
      return send(res, req, json({ error }, 403));
    }
    return send(res, req, await write(url, req));
  }
  if (url.pathname === "/healthz") return send(res, req, text("ok\n"));
  if (url.pathname === "/readyz") {
    const readiness = deps.readiness();
    return send(res, req, json(readiness, readiness.ready ? 200 : 503));
  }
  const route = findRoute(deps.protectedRoutes, url.pathname);
  if (route === void 0) return send(res, req, json({ error: "not found" }, 404));
  if (!isAuthorized(req.headers.authorization, auth)) {
    const headers = auth ? { "www-authenticate": challenge(auth) } : void 0;
    return send(res, req, { ...json({ error: "unauthorized" }, 401), headers });
  }
  return send(res, req, await route(url, req));
}
function parseRequestTarget(target) {
  try {
    return new URL(target ?? "/", "http://planecheck");
  } catch {
    return void 0;
  }
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
  res.cork();
  if (req.method !== "HEAD") for (const part of parts) res.write(part);
  res.end();
  res.uncork();
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

// src/server/audit-api.ts
var AUDIT_DEFAULT_LIMIT = 100;
var AUDIT_MAX_LIMIT = 1e3;
function auditRoute(page) {
  return async (url) => {
    const rawLimit = url.searchParams.get("limit");
    const rawBefore = url.searchParams.get("before");
    let limit = AUDIT_DEFAULT_LIMIT;
    if (rawLimit !== null) {
      if (!/^\d+$/.test(rawLimit) || Number(rawLimit) < 1)
        return json({ error: "limit must be a whole number from 1" }, 400);
      limit = Math.min(Number(rawLimit), AUDIT_MAX_LIMIT);
    }
    let before;
    if (rawBefore !== null) {
      if (!/^\d{1,15}$/.test(rawBefore) || Number(rawBefore) < 1)
        return json(
          { error: "before must be an event id (a whole number from 1), as in the next link" },
          400
        );
      before = Number(rawBefore);
    }
    let events;
    try {
      events = await page(limit, before);
    } catch (error) {
      const cause = error instanceof Error ? error.message : String(error);
      return json({ error: `the store did not answer: ${cause}` }, 503);
    }
    const last = events.at(-1);
    return json({
      limit,
      events: events.map((event) => ({
        id: event.id,
        at: new Date(event.at).toISOString(),
        plane: event.plane,
        kind: event.kind,
        actor: event.actor,
        reason: event.reason
      })),
      next: events.length === limit && last ? `/api/v1/audit?limit=${limit}&before=${last.id}` : null
    });
  };
}

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
        "text": "`predict_*`: synchronous inference on this plane. `predict_timeout` is a slow or stuck model or a saturated plane; `predict_http_5xx` comes from the model server or the gateway in front of it; `predict_connection_refused` / `predict_dns_error` / `predict_tls_error` point at the plane's ingress, DNS or certificates. A `*_dns_error` whose detail says `ETIMEOUT` is the name server of the checker's `/etc/resolv.conf` not answering (`dig @SERVER NAME` from that host); only planes whose names need it fail."
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
      },
      {
        "prefixes": [
          "*_internal_error"
        ],
        "text": "`*_internal_error`: a bug in planecheck, not a platform fault. The log line `internal error in a check"
      }
    ],
    "mitigate": "Fix what the reason names: the network path or certificate, the model server, the async queue. If the health-check model itself is broken (a bad deploy of it), redeploy it by running the production smoke-test workflow for the plane.",
    "markdown": "**Meaning.** A request of the check failed: it timed out, the connection failed, the server answered an\nerror status, or the answer was not what the platform contract promises. Unlike `NO_USER` and `NO_ORACLE`,\nnothing was found to be missing; something did not work.\n\n**Impact.** The most serious status: a real user of this plane is likely failing in the same way. Nothing is\ndispatched automatically; a failing plane is for a person to look at.\n\n**Diagnose.**\n\n1. Read the reason (`reason` in the status API, the `status changed` log line). The step tells you which side:\n   - `user_lookup_*` or `oracle_lookup_*`: the control plane is failing. Every plane usually shows it at once;\n     check the control plane's health, not the planes.\n   - `predict_*`: synchronous inference on this plane. `predict_timeout` is a slow or stuck model or a\n     saturated plane; `predict_http_5xx` comes from the model server or the gateway in front of it;\n     `predict_connection_refused` / `predict_dns_error` / `predict_tls_error` point at the plane's ingress,\n     DNS or certificates. A `*_dns_error` whose detail says `ETIMEOUT` is the name server of the checker's\n     `/etc/resolv.conf` not answering (`dig @SERVER NAME` from that host); only planes whose names need it fail.\n   - `async_predict_failed`: the async request ended `FAILED`, `EXPIRED`, `CANCELED` or `WEBHOOK_FAILED`; the\n     step's `detail` carries the platform's error codes. `async_predict_timeout`: it never finished within\n     `asyncTimeout`, usually a stuck async queue or worker.\n   - `*_invalid_response` / `*_response_too_large`: the API answered something unexpected (an HTML error page\n     from a proxy, a changed response shape).\n   - `*_internal_error`: a bug in planecheck, not a platform fault. The log line `internal error in a check\nstep` has the stack; report it. The plane may well be healthy: check it by hand.\n   - `user_lookup_http_404` / `oracle_lookup_http_404`: a 404 that was not the platform's JSON error (an HTML\n     page, an empty body), usually a proxy or ingress with no route to the API, or a wrong `controlPlaneUrl`\n     or endpoint template. It is not taken as \"user missing\", so nothing is dispatched.\n2. Compare with other planes: one plane alone points at that plane; all planes at the control plane or\n   shared infrastructure.\n3. Look at the step timings (`steps[].durationMs`, the dashboard's latency panel) for a plane slowing down.\n4. Impersonate the plane's smoke-test user (`admin__smoke_test_PLANE`) in your admin tools and look at the\n   health-check model's own logs.\n\n**Mitigate.** Fix what the reason names: the network path or certificate, the model server, the async queue.\nIf the health-check model itself is broken (a bad deploy of it), redeploy it by running the production\nsmoke-test workflow for the plane."
  },
  "NO_USER": {
    "anchor": "no_user",
    "meaning": "The control plane answered the user lookup, and there is no smoke-test user `admin__smoke_test_PLANE`. This is a definitive answer (an empty list, or a 404 with the platform's JSON error): a lookup that failed, or a 404 from something other than the platform, is `FAILED`, never `NO_USER`.",
    "impact": "This plane is not being checked at all, so it could be down without anyone knowing. It does not by itself mean that users are affected; it usually means the user was deleted (a clean-up job, a data migration, a restored database).",
    "diagnose": "Look at `selfHeal` in the status API or the status page: with self-heal on, planecheck has probably already dispatched the smoke-test workflow. Its `runUrl` links to the run; `outcome` says how it ended. `selfHealEnabled` false means self-heal is off for this plane (`selfHeal: { enabled: false }` on the plane, or the section off): nothing will be dispatched, the repair is yours.",
    "diagnoseByReason": [],
    "mitigate": "If self-heal is off, or its attempt failed: run the production smoke-test workflow for the plane (Actions > Production smoke test > Run workflow, `workload_plane` = the plane). When several planes lost their users at once, look for the common cause before re-creating them one by one: the hourly cap on dispatches (`maxDispatchesPerHour`) holds self-heal back on purpose in a platform-wide event.",
    "markdown": "**Meaning.** The control plane answered the user lookup, and there is no smoke-test user\n`admin__smoke_test_PLANE`. This is a definitive answer (an empty list, or a 404 with the platform's JSON error): a lookup that failed,\nor a 404 from something other than the platform, is `FAILED`, never `NO_USER`.\n\n**Impact.** This plane is not being checked at all, so it could be down without anyone knowing. It does not\nby itself mean that users are affected; it usually means the user was deleted (a clean-up job, a data\nmigration, a restored database).\n\n**Diagnose.**\n\n1. Look at `selfHeal` in the status API or the status page: with self-heal on, planecheck has probably\n   already dispatched the smoke-test workflow. Its `runUrl` links to the run; `outcome` says how it ended.\n   `selfHealEnabled` false means self-heal is off for this plane (`selfHeal: { enabled: false }` on the plane, or\n   the section off): nothing will be dispatched, the repair is yours.\n2. Confirm in your admin tools that the user is really gone.\n3. Find what removed it: audit logs for the user, recent clean-up jobs, database restores.\n\n**Mitigate.** If self-heal is off, or its attempt failed: run the production smoke-test workflow for the plane\n(Actions > Production smoke test > Run workflow, `workload_plane` = the plane). When several planes lost their\nusers at once, look for the common cause before re-creating them one by one: the hourly cap on dispatches\n(`maxDispatchesPerHour`) holds self-heal back on purpose in a platform-wide event."
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
    "markdown": "**Meaning.** There is no result younger than the cache TTL (`schedule.cacheTtl`, 2 minutes by default) for\nthis plane: the check did not run, or did not finish. planecheck computes this when it is read, so a stopped\nscheduler shows up here within one TTL.\n\n**Impact.** Nothing is known about the plane; it may be fine. But while it lasts, a real outage would go\nunnoticed.\n\n**Diagnose.**\n\n1. All planes `NO_VALUE`: the daemon's cycles are not completing. Check `/readyz`, the `cycle finished` log\n   lines and `planecheck_cycles_total`, `planecheck_cycle_overruns_total` and\n   `planecheck_cycle_duration_seconds`. Overruns mean a cycle takes longer than the interval: too many\n   planes for `concurrency`, or many planes hanging to their `planeTimeout`.\n2. One plane `NO_VALUE` while the others are fresh: that plane's results are not being stored; look for\n   `could not store result` log lines and `planecheck_storage_errors_total`.\n3. Right after a start, every plane is `NO_VALUE` until its first check finishes; that is expected. After a\n   start that follows a clock step back, stored results stamped in the future also read `NO_VALUE`\n   (`result_expired`) until the next check.\n4. A `wall clock stepped; schedule re-armed` log line means the host clock jumped by `stepMs`; the schedule\n   follows the new clock on its own. Many `scheduled ticks missed` lines without such a step mean the event\n   loop was blocked for more than an interval.\n\n**Mitigate.** Restart the daemon if it is wedged; raise `schedule.concurrency` or lower `planeTimeout` if\ncycles overrun; free disk space or fix permissions if storage fails."
  }
};

// src/server/runbook-link.ts
function runbookSectionUrl(status, runbookUrl) {
  const section = RUNBOOK[status];
  return section ? `${runbookUrl}#${section.anchor}` : void 0;
}

// src/server/status-page.ts
function scriptJson(value) {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
var STATUS_ORDER = ["FAILED", "NO_USER", "NO_ORACLE", "NO_VALUE", "HEALTHY"];
function renderStatusPage(status, nonce, runbookUrl) {
  const guide = Object.fromEntries(
    Object.entries(STATUS_GUIDE).map(([key2, value]) => {
      const section = RUNBOOK[key2];
      return [
        key2,
        {
          meaning: value.meaning,
          nextStep: value.nextStep,
          diagnose: section?.diagnose ?? "",
          diagnoseByReason: section?.diagnoseByReason ?? [],
          mitigate: section?.mitigate ?? "",
          runbook: runbookSectionUrl(key2, runbookUrl) ?? ""
        }
      ];
    })
  );
  const chip = (filter, label) => `<button type="button" class="chip" data-filter="${filter}" aria-pressed="${filter === "" ? "true" : "false"}">${label} <span class="count"></span></button>`;
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
  <p id="heal-hold" class="banner bad" role="alert" hidden></p>
  <p id="storage-down" class="banner bad" role="alert" hidden></p>
  <p class="meta" id="meta"></p>
  <p class="meta"><a id="audit-link" href="api/v1/audit">Audit trail</a>: every self-heal dispatch, hold and
    outcome, and every maintenance start and end, with who and why.</p>
</header>
<main>
  <div class="tools">
    <label class="sr" for="filter">Filter planes by name</label>
    <input id="filter" type="search" placeholder="Filter by name" autocomplete="off" spellcheck="false">
    <div id="chips" role="group" aria-label="Show planes by status">
      ${[chip("", "All"), ...STATUS_ORDER.map((key2) => chip(key2, key2)), chip("maintenance", "In maintenance")].join("\n      ")}
    </div>
  </div>
  <table id="planes">
    <caption>Workload planes: those that need attention first, then those in maintenance, then healthy ones. Refreshes by itself.</caption>
    <thead><tr>
      <th scope="col">Plane</th><th scope="col">Status</th><th scope="col">Last check</th>
      <th scope="col">Steps (ms)</th><th scope="col">Recent results</th><th scope="col">Availability 1 h / 24 h</th>
      <th scope="col">Self-heal</th>
    </tr></thead>
    <tbody id="attention-rows"></tbody>
    <tbody id="guidance"><tr><td colspan="7"><h2>What to do</h2><div id="cards"></div></td></tr></tbody>
    <tbody id="other-rows"></tbody>
  </table>
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
a:focus, button:focus, input:focus { outline:2px solid var(--link); outline-offset:2px; }
h1 { font-size:1.4rem; margin:0 0 .5rem; }
h2 { font-size:1.05rem; margin:.25rem 0 .5rem; }
.banner { font-size:1.1rem; font-weight:600; padding:.6rem .9rem; border-radius:6px; border:1px solid var(--line);
  margin:.25rem 0; }
.banner.ok { border-color:var(--ok); color:var(--ok); }
.banner.warn { border-color:var(--warn); color:var(--warn); }
.banner.bad { border-color:var(--bad); color:var(--bad); }
.meta { color:var(--muted); margin:.25rem 0 .75rem; font-size:.9rem; }
.tools { display:flex; flex-wrap:wrap; gap:.5rem; align-items:center; margin-bottom:.5rem; }
.tools input { font:inherit; padding:.25rem .5rem; border:1px solid var(--line); border-radius:6px;
  background:var(--bg); color:var(--fg); width:16rem; }
.chip { font:inherit; font-size:.85rem; padding:.15rem .6rem; border:1px solid var(--line); border-radius:999px;
  background:var(--card); color:var(--fg); cursor:pointer; }
.chip[aria-pressed="true"] { border-color:var(--link); box-shadow:inset 0 0 0 1px var(--link); }
.chip .count { font-weight:700; }
.chip.zero { color:var(--muted); }
main { overflow-x:auto; } /* a narrow screen scrolls the table, not the page */
table { border-collapse:collapse; width:100%; }
caption { text-align:left; color:var(--muted); font-size:.9rem; padding-bottom:.5rem; }
th, td { text-align:left; padding:.45rem .6rem; border-bottom:1px solid var(--line); vertical-align:top; }
thead th { font-size:.85rem; color:var(--muted); font-weight:600; }
tbody th { font-weight:600; white-space:nowrap; }
tr.compact > * { padding:.2rem .6rem; white-space:nowrap; vertical-align:middle; }
#attention-rows th { border-left:3px solid var(--bad); }
#guidance td { padding:.75rem 0; }
.status { display:inline-block; font-weight:700; font-size:.8rem; letter-spacing:.02em; padding:.05rem .45rem;
  border-radius:4px; border:1.5px solid currentColor; }
.s-HEALTHY { color:var(--ok); } .s-NO_USER, .s-NO_ORACLE { color:var(--warn); }
.s-FAILED { color:var(--bad); } .s-NO_VALUE { color:var(--none); }
.reason { display:block; color:var(--muted); font-size:.85rem; margin-top:.2rem; font-family:ui-monospace,monospace; }
.maintenance { color:var(--muted); font-size:.85rem; margin-left:.5rem; display:inline-block; max-width:28rem;
  overflow:hidden; text-overflow:ellipsis; vertical-align:middle; }
.small { color:var(--muted); font-size:.85rem; display:block; }
.steps { font-family:ui-monospace,monospace; font-size:.85rem; white-space:nowrap; }
.strip { display:flex; gap:2px; align-items:flex-end; height:1.1rem; }
.strip span { width:6px; height:100%; border-radius:1px; background:currentColor; }
.strip .s-NO_USER, .strip .s-NO_ORACLE { height:70%; } .strip .s-FAILED { height:100%; } .strip .s-HEALTHY { height:45%; }
.sr { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
#cards { display:grid; align-items:start; grid-template-columns:repeat(auto-fill, minmax(30rem, 1fr)); gap:.75rem; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:.6rem .9rem; }
.card h3 { margin:0 0 .3rem; font-size:1rem; }
.card p { margin:.3rem 0; }
.card ol, .card ul { margin:.3rem 0 .3rem 1.2rem; padding:0; }
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
  var URGENCY = { FAILED: 0, NO_USER: 1, NO_ORACLE: 2, NO_VALUE: 3, HEALTHY: 4 };
  var NAMED = 10; // planes named in the banner and on a card before "and N more"
  var shown = ''; // the pressed chip: '' (all), a status, or 'maintenance'
  var filterBox = document.getElementById('filter');
  var chips = Array.prototype.slice.call(document.querySelectorAll('#chips .chip'));

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
  /** Names, the first NAMED of them, then how many more. */
  function names(planes) {
    var list = planes.slice(0, NAMED).map(function (p) { return p.name; }).join(', ');
    return planes.length > NAMED ? list + ' and ' + (planes.length - NAMED) + ' more' : list;
  }
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
  function statusBadge(plane) {
    return el('span', { className: 'status s-' + plane.status, text: plane.status, title: guide[plane.status].meaning + (plane.reason ? ' (' + plane.reason + ')' : '') });
  }
  /** Maintenance comes from the API as { until, note, by } or null; absent from an API without it. */
  function inMaintenance(plane) { return !!plane.maintenance; }
  function needsAttention(plane) { return plane.status !== 'HEALTHY' && !inMaintenance(plane); }
  function group(plane) { return needsAttention(plane) ? 0 : inMaintenance(plane) ? 1 : 2; }
  /** Needs attention (most urgent status first), then in maintenance, then healthy; config order within. */
  function ordered(planes) {
    return planes.slice().sort(function (a, b) {
      return group(a) - group(b) || (group(a) === 0 ? URGENCY[a.status] - URGENCY[b.status] : 0);
    });
  }
  function matches(plane) {
    var text = filterBox.value.trim().toLowerCase();
    if (text && plane.name.toLowerCase().indexOf(text) < 0) return false;
    return shown === '' || (shown === 'maintenance' ? inMaintenance(plane) : plane.status === shown);
  }

  function banner() {
    var node = document.getElementById('banner');
    var planes = data.planes;
    var attention = ordered(planes.filter(needsAttention));
    var maintenance = planes.filter(inMaintenance);
    var stale = planes.length > 0 && planes.every(function (p) { return p.status === 'NO_VALUE'; }) &&
      planes.some(function (p) { return p.checkedAt; });
    var lastCycle = data.scheduler.lastCycleFinishedAt ? Date.parse(data.scheduler.lastCycleFinishedAt) : null;
    var cycleLate = lastCycle !== null && Date.now() - lastCycle > data.scheduler.cacheTtlSeconds * 1000;
    var text, kind;
    if (fetchError) { text = 'Cannot reach planecheck (' + fetchError + '): showing what it said ' + ago(new Date(fetchedAt).toISOString()); kind = 'bad'; }
    else if (!data.scheduler.running) { text = 'Checks have stopped: the scheduler is not running'; kind = 'bad'; }
    else if (stale || cycleLate) { text = 'Checks have stopped: results are going stale (last cycle ' + ago(data.scheduler.lastCycleFinishedAt) + ')'; kind = 'bad'; }
    else if (attention.length === 0) {
      text = maintenance.length === 0 ? 'All ' + planes.length + ' planes healthy'
        : 'No plane needs attention (' + maintenance.length + ' in maintenance: ' + names(maintenance) + ')';
      kind = 'ok';
    } else {
      text = attention.length + (attention.length === 1 ? ' plane needs' : ' planes need') + ' attention: ' + names(attention);
      kind = attention.some(function (p) { return p.status === 'FAILED'; }) ? 'bad' : 'warn';
    }
    node.textContent = text;
    node.className = 'banner ' + kind;
    var hold = data.selfHeal && data.selfHeal.held ? data.selfHeal : null;
    var holdNode = document.getElementById('heal-hold');
    holdNode.hidden = !hold;
    holdNode.textContent = hold ? 'Self-heal is holding back: ' + hold.planes.length +
      ' planes need repair at once (more than ' + hold.maxPlanesAtOnce + '), so no workflow is dispatched for any ' +
      'of them until a person looks (since ' + ago(hold.heldSince) + '): ' + hold.planes.join(', ') : '';
    var storage = data.storage && !data.storage.up ? data.storage : null;
    var storageNode = document.getElementById('storage-down');
    storageNode.hidden = !storage;
    storageNode.textContent = storage ? 'The store (' + storage.kind + ') has not answered since ' + ago(storage.since) +
      ': results are kept in memory and written once it is back; self-heal dispatches nothing meanwhile' +
      (storage.error ? ' (' + storage.error + ')' : '') : '';
    document.getElementById('meta').textContent = planes.length + ' planes · checked every ' + data.scheduler.intervalSeconds +
      ' s, results valid ' + data.scheduler.cacheTtlSeconds + ' s · updated ' + ago(new Date(fetchedAt).toISOString()) +
      ' by ' + data.instance + (data.fleet && data.fleet.instances.length > 1 ? ', one of ' + data.fleet.instances.length + ' replicas' : '');
  }

  function chipCounts() {
    chips.forEach(function (chip) {
      var key = chip.getAttribute('data-filter');
      var count = key === '' ? data.planes.length : data.planes.filter(function (p) {
        return key === 'maintenance' ? inMaintenance(p) : p.status === key;
      }).length;
      chip.querySelector('.count').textContent = String(count);
      chip.classList.toggle('zero', count === 0);
      chip.hidden = key === 'maintenance' && count === 0 && shown !== key;
      chip.setAttribute('aria-pressed', String(key === shown));
    });
  }

  function maintenanceNote(m) {
    var parts = ['maintenance'];
    if (m.until) parts.push('until ' + new Date(m.until).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }));
    if (m.note) parts.push('· ' + m.note);
    parts.push('(' + (m.source === 'config' ? 'configured window' : m.actor) + ')');
    var text = parts.join(' ');
    return el('span', { className: 'maintenance', title: text, text: text });
  }

  function healCell(plane, compact) {
    var heal = el('td');
    var last = plane.selfHeal[0];
    if (plane.selfHealHeld) heal.appendChild(el('strong', { text: 'held (mass incident) ' }));
    if (last) {
      heal.appendChild(el('span', { text: (last.outcome || last.status) + ' · ' + ago(last.dispatchedAt) + ' ' }));
      if (last.runUrl) heal.appendChild(el('a', { className: compact ? '' : 'small', href: last.runUrl, text: 'run ' + (last.runId || '') }));
    } else if (!plane.selfHealHeld) heal.textContent = '–';
    return heal;
  }

  function historyCell(plane) {
    var recent = plane.recent || [];
    var strip = el('div', { className: 'strip', 'aria-hidden': 'true' }, recent.map(function (r) {
      return el('span', { className: 's-' + r.status, title: r.status + (r.reason ? ' (' + r.reason + ')' : '') + ' at ' + new Date(r.checkedAt).toLocaleString() });
    }));
    var healthyCount = recent.filter(function (r) { return r.status === 'HEALTHY'; }).length;
    return el('td', null, [strip, el('span', { className: 'sr', text: 'Last ' + recent.length + ' results: ' + healthyCount + ' healthy, ' + (recent.length - healthyCount) + ' not healthy' })]);
  }

  /** A plane that needs nothing from anyone: one line; the detail is in tooltips. */
  function compactRow(plane) {
    var status = el('td', null, [statusBadge(plane), plane.maintenance ? maintenanceNote(plane.maintenance) : null]);
    var checked = el('td', { title: plane.checkedBy ? 'checked by ' + plane.checkedBy : '' }, [
      el('span', { 'data-ago': plane.checkedAt || '', text: ago(plane.checkedAt) })]);
    var steps = el('td', { className: 'steps', title: plane.steps.map(function (s) { return STEP_LABELS[s.step] + ' ' + Math.round(s.durationMs); }).join(', ') },
      [document.createTextNode(plane.durationMs === null ? '–' : Math.round(plane.durationMs) + ' total')]);
    return el('tr', { className: 'compact', 'data-plane': plane.name }, [el('th', { scope: 'row', text: plane.name }), status, checked, steps,
      historyCell(plane), el('td', { text: pct(plane.availability.h1) + ' / ' + pct(plane.availability.h24) }), healCell(plane, true)]);
  }

  /** A plane that needs attention: its reason, who checked it and when, and each step. */
  function attentionRow(plane) {
    var status = el('td', null, [statusBadge(plane), plane.reason ? el('span', { className: 'reason', text: plane.reason }) : null]);
    var checked = el('td', null, [el('span', { 'data-ago': plane.checkedAt || '', text: ago(plane.checkedAt) }),
      el('span', { className: 'small', 'data-until': plane.expiresAt || '', text: until(plane.expiresAt) }),
      plane.checkedBy ? el('span', { className: 'small checked-by', text: 'checked by ' + plane.checkedBy }) : null]);
    var steps = el('td', { className: 'steps' }, plane.steps.map(function (step) {
      var mark = step.outcome === 'ok' ? '' : step.outcome === 'not_found' ? ' (none)' : ' (failed)';
      return el('span', { className: 'small', text: STEP_LABELS[step.step] + ' ' + Math.round(step.durationMs) + mark });
    }));
    return el('tr', { 'data-plane': plane.name }, [el('th', { scope: 'row', text: plane.name }), status, checked, steps,
      historyCell(plane), el('td', { text: pct(plane.availability.h1) + ' / ' + pct(plane.availability.h24) }), healCell(plane, false)]);
  }

  /** What to do about the planes in one status: the runbook's words once, each plane's reason and detail. */
  function card(planes) {
    var status = planes[0].status;
    var g = guide[status];
    var children = [el('h3', null, [el('span', { className: 'status s-' + status, text: status }), document.createTextNode(' ' + names(planes))]),
      rich('p', g.meaning)];
    var perPlane = el('ul');
    planes.slice(0, NAMED).forEach(function (plane) {
      var detail = plane.steps.filter(function (s) { return s.detail; }).map(function (s) { return s.step + ': ' + s.detail; }).join('; ');
      var item = el('li', null, [document.createTextNode(plane.name + ' '), plane.reason ? el('code', { text: plane.reason }) : null,
        document.createTextNode(detail ? ': ' + detail : '')]);
      plane.selfHeal.forEach(function (a) {
        item.appendChild(document.createTextNode(' · self-heal ' + (a.outcome || a.status) + ', dispatched ' + new Date(a.dispatchedAt).toLocaleString() + (a.error ? ' (' + a.error + ')' : '') + ' '));
        if (a.runUrl) item.appendChild(el('a', { href: a.runUrl, text: 'workflow run ' + (a.runId || '') }));
      });
      perPlane.appendChild(item);
    });
    children.push(perPlane);
    var steps = el('ol');
    if (g.diagnose) {
      var diagnose = rich('li', 'Diagnose: ' + g.diagnose);
      var specifics = [];
      planes.forEach(function (plane) {
        var specific = forReason(g.diagnoseByReason, plane.reason);
        if (specific && specifics.indexOf(specific) < 0) specifics.push(specific);
      });
      specifics.forEach(function (specific) { diagnose.appendChild(rich('p', specific, 'small')); });
      steps.appendChild(diagnose);
    }
    if (g.mitigate) steps.appendChild(rich('li', 'Mitigate: ' + g.mitigate));
    if (!g.diagnose && !g.mitigate) steps.appendChild(el('li', { text: g.nextStep }));
    children.push(steps);
    if (g.runbook) children.push(el('p', null, [el('a', { href: g.runbook, text: 'Runbook: ' + status })]));
    return el('article', { className: 'card', 'data-planes': planes.map(function (p) { return p.name; }).join(' ') }, children);
  }

  function render() {
    document.body.setAttribute('data-fetched-at', String(fetchedAt)); // lets a test wait for a refresh
    banner();
    chipCounts();
    var visible = ordered(data.planes).filter(matches);
    var attention = visible.filter(needsAttention);
    var rest = visible.filter(function (p) { return !needsAttention(p); });
    var attentionRows = document.getElementById('attention-rows');
    attentionRows.replaceChildren.apply(attentionRows, attention.map(attentionRow));
    var otherRows = document.getElementById('other-rows');
    otherRows.replaceChildren.apply(otherRows, visible.length === 0
      ? [el('tr', null, [el('td', { colspan: '7', text: 'No plane matches the filter.' })])] : rest.map(compactRow));
    // One explanation per status, in the order the planes are listed (most urgent first).
    var byStatus = {};
    var order = [];
    attention.forEach(function (p) {
      if (!byStatus[p.status]) { byStatus[p.status] = []; order.push(p.status); }
      byStatus[p.status].push(p);
    });
    document.getElementById('guidance').hidden = order.length === 0;
    var cards = document.getElementById('cards');
    cards.replaceChildren.apply(cards, order.map(function (status) { return card(byStatus[status]); }));
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

  filterBox.addEventListener('input', render);
  chips.forEach(function (chip) {
    chip.addEventListener('click', function () {
      var key = chip.getAttribute('data-filter');
      shown = shown === key ? '' : key;
      render();
    });
  });
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
    ...deps.audit ? { "/api/v1/audit": auditRoute(deps.audit) } : {},
    "/api/v1/planes/": async (url) => historyRoute(url, deps),
    "/": () => statusPage(deps.status(), deps.runbookUrl()),
    "/badge/": (url) => {
      const match = /^\/badge\/([^/]+)\.svg$/.exec(url.pathname);
      const plane = match?.[1] ? decodePathSegment(match[1]) : "";
      if (plane === void 0) return badPercentEncoding();
      if (!deps.planes().includes(plane)) return json({ error: "no such plane" }, 404);
      return {
        status: 200,
        contentType: "image/svg+xml; charset=utf-8",
        body: renderBadge(plane, deps.planeStatus(plane))
      };
    }
  };
}
function decodePathSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return void 0;
  }
}
function badPercentEncoding() {
  return json({ error: "the path is not valid percent-encoding" }, 400);
}
function acceptsGzip(header) {
  return (header ?? "").split(",").some((entry) => {
    const [coding = "", ...params] = entry.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return (coding === "gzip" || coding === "x-gzip") && (q === void 0 || Number(q.slice(2)) > 0);
  });
}
async function historyRoute(url, deps) {
  const match = /^\/api\/v1\/planes\/([^/]+)\/history$/.exec(url.pathname);
  if (!match?.[1]) return json({ error: "not found" }, 404);
  const plane = decodePathSegment(match[1]);
  if (plane === void 0) return badPercentEncoding();
  if (!deps.planes().includes(plane)) return json({ error: `no plane named ${plane}` }, 404);
  const raw = url.searchParams.get("limit");
  let limit = HISTORY_DEFAULT_LIMIT;
  if (raw !== null) {
    if (!/^\d+$/.test(raw) || Number(raw) < 1)
      return json({ error: "limit must be a whole number from 1" }, 400);
    limit = Math.min(Number(raw), HISTORY_MAX_LIMIT);
  }
  let stored2;
  try {
    stored2 = await deps.history(plane, limit);
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    return json({ error: `the result store did not answer: ${cause}` }, 503);
  }
  const results = stored2.map((result) => ({
    checkedAt: new Date(result.checkedAt).toISOString(),
    checkedBy: result.checkedBy === "" ? null : result.checkedBy,
    status: result.status,
    reason: result.reason,
    durationMs: result.durationMs,
    steps: result.steps
  }));
  return json({ plane, limit, results });
}
function statusPage(status, runbookUrl) {
  const nonce = randomBytes(16).toString("base64");
  return {
    status: 200,
    contentType: "text/html; charset=utf-8",
    body: renderStatusPage(status, nonce, runbookUrl),
    headers: {
      "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      "referrer-policy": "no-referrer"
    }
  };
}

// src/server/maintenance-api.ts
var MAX_MAINTENANCE_MS = 31 * 864e5;
var MAX_BODY_BYTES = 16 * 1024;
var MAX_NOTE = 500;
function maintenanceStateView(state) {
  if (state === void 0) return null;
  return {
    since: new Date(state.startedAt).toISOString(),
    until: new Date(state.until).toISOString(),
    note: state.note,
    actor: state.actor,
    source: state.source
  };
}
function parseMaintenanceRequest(body, now) {
  if (body === null || typeof body !== "object" || Array.isArray(body))
    return { error: 'body: expected a JSON object such as {"for": "2h", "note": "upgrade"}' };
  const fields = body;
  const unknown = Object.keys(fields).find((key2) => !["for", "until", "note"].includes(key2));
  if (unknown !== void 0) return { error: `${unknown}: unknown field (use for or until, and note)` };
  const note = fields.note ?? "";
  if (typeof note !== "string") return { error: "note: expected a string" };
  if (note.length > MAX_NOTE) return { error: `note: at most ${MAX_NOTE} characters` };
  if (fields.for === void 0 === (fields.until === void 0))
    return { error: 'for, until: give exactly one of them (a duration such as "2h", or an RFC 3339 time)' };
  let until;
  if (fields.for !== void 0) {
    const ms = typeof fields.for === "string" ? parseDuration(fields.for) : void 0;
    if (ms === void 0) return { error: 'for: expected a duration such as "30m" or "2h"' };
    if (ms < 6e4 || ms > MAX_MAINTENANCE_MS)
      return { error: `for: must be between 1m and ${formatDuration(MAX_MAINTENANCE_MS)}` };
    until = now + ms;
  } else {
    const at2 = typeof fields.until === "string" ? parseRfc3339(fields.until) : void 0;
    if (at2 === void 0) return { error: "until: expected an RFC 3339 time such as 2026-12-01T04:00:00Z" };
    if (at2 <= now) return { error: "until: must be in the future" };
    if (at2 - now > MAX_MAINTENANCE_MS)
      return { error: `until: at most ${formatDuration(MAX_MAINTENANCE_MS)} from now` };
    until = at2;
  }
  return { until, note };
}
function maintenanceRoute(deps) {
  return async (url, request) => {
    const match = /^\/api\/v1\/planes\/([^/]+)\/maintenance$/.exec(url.pathname);
    if (!match?.[1])
      return { ...json({ error: "method not allowed" }, 405), headers: { allow: "GET, HEAD" } };
    let plane;
    try {
      plane = decodeURIComponent(match[1]);
    } catch {
      return json({ error: "the path is not valid percent-encoding" }, 400);
    }
    if (!deps.planes().includes(plane)) return json({ error: `no plane named ${plane}` }, 404);
    const now = deps.now?.() ?? Date.now();
    const actor = deps.actor(request);
    if (request.method === "DELETE") {
      const ended = await stored(() => deps.end(plane, actor, now));
      if ("response" in ended) return ended.response;
      return json({
        plane,
        ended: ended.value !== void 0,
        maintenance: maintenanceStateView(deps.state(plane, now))
      });
    }
    const body = await readJson(request);
    if ("error" in body) return json({ error: body.error }, body.status);
    const asked = parseMaintenanceRequest(body.value, now);
    if ("error" in asked) return json({ error: asked.error }, 400);
    const started = await stored(
      () => deps.start({ plane, startedAt: now, until: asked.until, note: asked.note, actor })
    );
    if ("response" in started) return started.response;
    return json({ plane, maintenance: maintenanceStateView(started.value) });
  };
}
async function stored(work) {
  try {
    return { value: await work() };
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    return { response: json({ error: `the store did not answer; nothing changed: ${cause}` }, 503) };
  }
}
async function readJson(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return { error: `body: at most ${MAX_BODY_BYTES} bytes`, status: 413 };
    chunks.push(chunk);
  }
  const text2 = Buffer.concat(chunks).toString("utf8");
  if (text2.trim() === "")
    return { error: 'body: expected JSON such as {"for": "2h", "note": "upgrade"}', status: 400 };
  try {
    return { value: JSON.parse(text2) };
  } catch {
    return { error: "body: not valid JSON", status: 400 };
  }
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
function statusResponse(instance, states, scheduler, extras, now, storage, fleet = [instance]) {
  const summary = Object.fromEntries(PLANE_STATUSES.map((status) => [status, 0]));
  for (const state of states) summary[state.status]++;
  const hold = extras.healHold?.();
  const heldPlanes = new Set(hold?.held ? hold.planes : []);
  return {
    instance,
    generatedAt: iso(now),
    summary,
    scheduler: {
      running: scheduler.running,
      intervalSeconds: scheduler.intervalMs / 1e3,
      cacheTtlSeconds: scheduler.cacheTtlMs / 1e3,
      lastCycleFinishedAt: iso(scheduler.lastCycleFinishedAt)
    },
    /** While the store does not answer, results are held in memory and self-heal makes no dispatch. */
    storage: storage === void 0 ? null : { kind: storage.kind, up: storage.up, since: iso(storage.since), error: storage.error },
    fleet: { instances: [...fleet] },
    selfHeal: {
      enabled: hold !== void 0,
      /** More than `maxPlanesAtOnce` planes need repair at once: nothing is dispatched until fewer do. */
      held: hold?.held ?? false,
      heldSince: iso(hold?.since ?? null),
      planes: hold?.held ? hold.planes : [],
      maxPlanesAtOnce: hold?.maxPlanesAtOnce ?? null
    },
    planes: states.map((state) => ({
      name: state.plane,
      labels: extras.labels?.(state.plane) ?? {},
      status: state.status,
      reason: state.reason,
      lastStatus: state.lastStatus,
      checkedAt: iso(state.checkedAt),
      checkedBy: state.checkedBy,
      expiresAt: iso(state.expiresAt),
      durationMs: state.durationMs,
      steps: state.steps,
      recent: (extras.recent?.(state.plane) ?? []).map((result) => ({
        checkedAt: new Date(result.checkedAt).toISOString(),
        status: result.status,
        reason: result.reason
      })),
      availability: extras.availability?.(state.plane) ?? { h1: null, h24: null },
      /** Whether self-heal may dispatch for this plane (workloadPlanes[].selfHeal.enabled, else selfHeal.enabled). */
      selfHealEnabled: (hold !== void 0 && extras.selfHealEnabled?.(state.plane)) ?? false,
      selfHeal: extras.healActions(state.plane),
      /** This plane needs repair, and the mass-incident hold keeps self-heal from starting it. */
      selfHealHeld: heldPlanes.has(state.plane),
      /** In maintenance: still checked, never self-healed, its alerts quiet; null when not. */
      maintenance: maintenanceStateView(extras.maintenance?.(state.plane))
    }))
  };
}

// src/store/storage-health.ts
var StorageHealth = class {
  #view;
  #failing = /* @__PURE__ */ new Map();
  #onChange;
  #now;
  constructor(onChange = () => void 0, now = Date.now) {
    this.#onChange = onChange;
    this.#now = now;
    this.#view = { up: true, since: now(), error: null };
  }
  get view() {
    return { ...this.#view };
  }
  get up() {
    return this.#view.up;
  }
  /** Whether the last attempt of `kind` failed. */
  failing(kind) {
    return this.#failing.has(kind);
  }
  succeeded(kind) {
    if (!this.#failing.delete(kind) || this.#failing.size > 0) return;
    this.#view = { up: true, since: this.#now(), error: null };
    this.#onChange(this.view);
  }
  failed(kind, error, during = kind) {
    const message = `${during}: ${error instanceof Error ? error.message : String(error)}`;
    this.#failing.set(kind, message);
    if (!this.#view.up) {
      this.#view.error = message;
      return;
    }
    this.#view = { up: false, since: this.#now(), error: message };
    this.#onChange(this.view);
  }
};

// src/daemon/open-storage.ts
async function openStorage(storage, events) {
  if (storage.url !== void 0) {
    const url = storage.url;
    const [
      { openPostgresStore },
      { openPostgresHealLog },
      { PostgresFleet },
      { PostgresMaintenanceStore },
      { PostgresAuditTrail }
    ] = await Promise.all([
      import("./chunks/pg-store-4LQAMIW5.js"),
      import("./chunks/pg-heal-log-EQ4MH7HN.js"),
      import("./chunks/pg-fleet-2BL476KB.js"),
      import("./chunks/pg-maintenance-3RXLFF64.js"),
      import("./chunks/pg-audit-LP4HT2WQ.js")
    ]);
    const store2 = await openPostgresStore(url, { onError: events.onBackgroundError });
    return {
      kind: "postgresql",
      where: redactStorageUrl(url),
      store: store2,
      maintenance: new PostgresMaintenanceStore(store2.pool),
      audit: new PostgresAuditTrail(store2.pool),
      feed: store2,
      coordinator: new PostgresFleet(store2.pool),
      openHealLog: () => openPostgresHealLog(store2.pool, { onError: events.onBackgroundError }),
      close: () => store2.close()
    };
  }
  const path = storage.path;
  const [{ openSqliteStore }, { SqliteHealLog }, { SqliteMaintenanceStore }, { SqliteAuditTrail }] = await Promise.all([
    import("./chunks/sqlite-store-IGSS7ZBI.js"),
    import("./chunks/sqlite-heal-log-AZ5TYIT2.js"),
    import("./chunks/sqlite-maintenance-M4HOBGIX.js"),
    import("./chunks/sqlite-audit-VGS23TOW.js")
  ]);
  const store = openSqliteStore(path, {
    onRecovered: events.onRecovered,
    onCheckpointError: events.onCheckpointError
  });
  return {
    kind: "sqlite",
    where: path,
    store,
    maintenance: new SqliteMaintenanceStore(store.database),
    audit: new SqliteAuditTrail(store.database),
    checkpoint: () => store.checkpoint(),
    openHealLog: () => Promise.resolve(new SqliteHealLog(store.database)),
    close: () => store.close()
  };
}

// src/util/with-timeout.ts
var TimeoutError = class extends Error {
  constructor(what, ms) {
    super(`${what} did not answer within ${ms} ms`);
    this.name = "TimeoutError";
  }
};
function withTimeout(work, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
  });
  work.catch(() => void 0);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

// src/fleet/fleet-share-cycle.ts
var FleetShareCycle = class {
  #options;
  constructor(options) {
    this.#options = options;
  }
  /** Follows a reloaded config: the next cycle shares out and claims only these planes. */
  setPlanes(planes) {
    this.#options = { ...this.#options, planes };
  }
  async *batches() {
    const { instance, planes, intervalMs, leaseMs, liveWindowMs, timeoutMs } = this.#options;
    const store = this.#options.coordinator;
    const coordinator = {
      heartbeat: (...args) => withTimeout(store.heartbeat(...args), timeoutMs, "heartbeat"),
      claim: (...args) => withTimeout(store.claim(...args), timeoutMs, "claim"),
      complete: (...args) => withTimeout(store.complete(...args), timeoutMs, "complete")
    };
    let slot;
    let own;
    try {
      const beat = await coordinator.heartbeat(instance, liveWindowMs);
      this.#options.onInstances?.(beat.instances);
      slot = slotOf(beat.nowMs, intervalMs);
      own = preferredPlanes(planes, beat.instances, instance);
    } catch (error) {
      this.#options.onStorageError(error, "heartbeat");
      yield planes;
      return;
    }
    if (this.#options.holdClaims?.()) {
      yield planes;
      return;
    }
    let batch;
    try {
      batch = await coordinator.claim(own, instance, slot, leaseMs);
    } catch (error) {
      this.#options.onStorageError(error, "claim");
      yield planes;
      return;
    }
    for (let round = 0; round <= planes.length; round++) {
      if (batch.length > 0) {
        yield batch;
        try {
          await coordinator.complete(batch, instance, slot);
        } catch (error) {
          this.#options.onStorageError(error, "complete");
        }
      }
      try {
        batch = await coordinator.claim(planes, instance, slot, leaseMs);
      } catch (error) {
        this.#options.onStorageError(error, "claim");
        return;
      }
      if (batch.length === 0) return;
    }
  }
};

// src/fleet/fleet-keeper.ts
function fleetTimings(intervalMs) {
  const periodMs = Math.min(5e3, Math.max(250, Math.round(intervalMs / 8)));
  return {
    periodMs,
    // Renewed every period, a live replica holds its claims for as long as its checks take (a plane's
    // deadline included); a dead one loses them three missed renewals later, early enough for another replica
    // to check its planes within the same interval. One slow renewal never loses a claim.
    leaseMs: 3 * periodMs,
    liveWindowMs: Math.round(intervalMs * 2.5),
    // A store that takes longer than this to claim or renew is treated as down for the cycle.
    timeoutMs: Math.min(5e3, Math.max(1e3, Math.round(intervalMs / 4)))
  };
}
var FleetKeeper = class {
  #options;
  #timer;
  #running = Promise.resolve();
  #started = false;
  #stopped = false;
  constructor(options) {
    this.#options = options;
  }
  start() {
    if (this.#started) return;
    this.#started = true;
    this.#schedule();
  }
  /** Stops; waits for a round under way (its checks end with the daemon's shutdown signal). */
  async stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
  /** One round: renew, rescue, check what was rescued. Never rejects. */
  async round() {
    const { coordinator, instance, intervalMs, leaseMs, timeoutMs, checkRescued, onStorageError } = this.#options;
    try {
      await withTimeout(coordinator.renew(instance, leaseMs), timeoutMs, "renew");
    } catch (error) {
      onStorageError(error, "renew");
      return;
    }
    let rescued;
    try {
      rescued = await withTimeout(coordinator.rescue(instance, intervalMs, leaseMs), timeoutMs, "rescue");
      this.#options.onStorageAnswered();
    } catch (error) {
      onStorageError(error, "rescue");
      return;
    }
    if (rescued.planes.length === 0 || this.#stopped) return;
    this.#options.onRescued?.(rescued.planes);
    await checkRescued(rescued.planes);
    try {
      await withTimeout(coordinator.complete(rescued.planes, instance, rescued.slot), timeoutMs, "complete");
    } catch (error) {
      onStorageError(error, "complete");
    }
  }
  #schedule() {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.round().then(() => this.#schedule());
    }, this.#options.periodMs);
  }
};

// src/fleet/shared-results-sync.ts
function nextPollDelay(failures, pollMs, maxBackoffMs) {
  if (failures <= 0) return pollMs;
  return Math.min(maxBackoffMs, pollMs * 2 ** Math.min(failures, 20));
}
var SharedResultsSync = class {
  #options;
  #cursor = null;
  #failures = 0;
  #timer;
  /** The last poll started: each new one runs after it. */
  #polling = Promise.resolve();
  #stopped = true;
  constructor(options) {
    this.#options = {
      pollMs: 2e3,
      maxBackoffMs: 3e4,
      timeoutMs: 5e3,
      onRecovered: () => void 0,
      ...options
    };
  }
  start() {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(this.#options.pollMs);
  }
  async stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#polling;
  }
  /** Polls once now (one poll at a time: a call while one runs waits for it). True when the poll succeeded. */
  async pollNow() {
    const poll = this.#polling.then(() => this.#poll());
    this.#polling = poll;
    await poll;
    return this.#failures === 0;
  }
  async #poll() {
    const { feed, onResults, onError, onRecovered } = this.#options;
    try {
      const { results, cursor } = await withTimeout(
        feed.latestChangedSince(this.#cursor),
        this.#options.timeoutMs,
        "reading what other replicas stored"
      );
      this.#cursor = cursor;
      const recovered = this.#failures > 0;
      this.#failures = 0;
      if (recovered) onRecovered();
      if (results.length > 0) onResults(results);
    } catch (error) {
      this.#failures++;
      onError(error, this.#failures);
    }
  }
  #schedule(delayMs) {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.pollNow().then(
        () => this.#schedule(nextPollDelay(this.#failures, this.#options.pollMs, this.#options.maxBackoffMs))
      );
    }, delayMs);
  }
};

// src/store/plane-state.ts
function storedResultAge(checkedAt, wallNow) {
  const age = wallNow - checkedAt;
  return age < 0 ? Number.POSITIVE_INFINITY : age;
}
function isFresh(ageMs, cacheTtlMs) {
  return ageMs < cacheTtlMs;
}
function planeState(plane, result, ageMs, cacheTtlMs, wallNow) {
  if (result === void 0) {
    return {
      plane,
      status: "NO_VALUE",
      reason: "no_result",
      checkedAt: null,
      expiresAt: null,
      durationMs: null,
      steps: [],
      checkedBy: null,
      lastStatus: null
    };
  }
  const fresh = isFresh(ageMs, cacheTtlMs);
  return {
    plane,
    status: fresh ? result.status : "NO_VALUE",
    reason: fresh ? result.reason : "result_expired",
    checkedAt: result.checkedAt,
    expiresAt: Number.isFinite(ageMs) ? Math.round(wallNow - ageMs + cacheTtlMs) : null,
    durationMs: result.durationMs,
    steps: result.steps,
    checkedBy: result.checkedBy === "" ? null : result.checkedBy,
    lastStatus: result.status
  };
}

// src/store/status-board.ts
var RECENT_RESULTS = 30;
var StatusBoard = class {
  #planes;
  #cacheTtlMs;
  #clock;
  #latest = /* @__PURE__ */ new Map();
  #recent = /* @__PURE__ */ new Map();
  #version = 0;
  /** `initial`: the stored latest results; `recent`: a plane's stored history, newest first, for the strip. */
  constructor(planes, cacheTtlMs, initial = [], recent = () => [], clock = systemClock) {
    this.#planes = planes;
    this.#cacheTtlMs = cacheTtlMs;
    this.#clock = clock;
    const wallNow = clock.wallNow();
    const monoNow = clock.monoNow();
    for (const result of initial) {
      if (!planes.includes(result.plane)) continue;
      this.#latest.set(result.plane, {
        result,
        receivedAt: monoNow - storedResultAge(result.checkedAt, wallNow)
      });
    }
    for (const plane of planes) this.#recent.set(plane, toStrip(recent(plane)));
  }
  /**
   * Follows a reloaded config: `planes` is the new list, in order. A plane no longer listed is forgotten; a
   * new one starts from `stored` (its history as the store holds it, newest first: its latest result and
   * strip); a plane in both keeps what it holds.
   */
  setPlanes(planes, stored2 = () => [], cacheTtlMs = this.#cacheTtlMs) {
    const keep = new Set(planes);
    for (const plane of this.#planes) {
      if (keep.has(plane)) continue;
      this.#latest.delete(plane);
      this.#recent.delete(plane);
    }
    const wallNow = this.#clock.wallNow();
    const monoNow = this.#clock.monoNow();
    for (const plane of planes) {
      if (this.#recent.has(plane)) continue;
      const history = stored2(plane);
      const latest = history[0];
      if (latest !== void 0)
        this.#latest.set(plane, {
          result: latest,
          receivedAt: monoNow - storedResultAge(latest.checkedAt, wallNow)
        });
      this.#recent.set(plane, toStrip(history));
    }
    this.#planes = [...planes];
    this.#cacheTtlMs = cacheTtlMs;
    this.#version++;
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
  /** Milliseconds until the next fresh result turns NO_VALUE, or undefined when none is fresh. */
  msUntilNextExpiry() {
    const monoNow = this.#clock.monoNow();
    let next;
    for (const { receivedAt } of this.#latest.values()) {
      const left = receivedAt + this.#cacheTtlMs - monoNow;
      if (left > 0 && (next === void 0 || left < next)) next = left;
    }
    return next;
  }
  /** Records a new result and says whether the plane's visible status changed. */
  update(result) {
    return this.#record(result, this.#clock.monoNow());
  }
  /**
   * Records a result read from a store other replicas write too, unless the plane already holds one as
   * new: aged by its wall-clock stamp (a fleet's replicas keep their clocks in step with NTP).
   */
  merge(result) {
    if (!this.#recent.has(result.plane)) return void 0;
    const held = this.#latest.get(result.plane);
    if (held !== void 0 && held.result.checkedAt >= result.checkedAt) return void 0;
    const ageMs = Math.max(0, this.#clock.wallNow() - result.checkedAt);
    const receivedAt = this.#clock.monoNow() - ageMs;
    return this.#record(result, receivedAt);
  }
  #record(result, receivedAt) {
    const before = this.state(result.plane).status;
    this.#latest.set(result.plane, { result, receivedAt });
    this.#version++;
    const strip = this.#recent.get(result.plane);
    if (strip) {
      strip.push({ checkedAt: result.checkedAt, status: result.status, reason: result.reason });
      if (strip.length > RECENT_RESULTS) strip.shift();
    }
    const after = this.state(result.plane);
    return before === after.status ? void 0 : { plane: result.plane, from: before, to: after.status, reason: after.reason };
  }
  state(plane) {
    const latest = this.#latest.get(plane);
    const age = latest ? this.#clock.monoNow() - latest.receivedAt : Number.POSITIVE_INFINITY;
    return planeState(plane, latest?.result, age, this.#cacheTtlMs, this.#clock.wallNow());
  }
  states() {
    return this.#planes.map((plane) => this.state(plane));
  }
};
function toStrip(history) {
  return history.slice(0, RECENT_RESULTS).reverse().map(({ checkedAt, status, reason }) => ({ checkedAt, status, reason }));
}
var STRIP_READS_AT_ONCE = 4;
async function loadStatusBoard(store, planes, cacheTtlMs, clock = systemClock) {
  const initial = await store.latestResults();
  const recent = await readStrips(store, planes);
  return new StatusBoard(planes, cacheTtlMs, initial, (plane) => recent.get(plane) ?? [], clock);
}
async function readStrips(store, planes) {
  const recent = /* @__PURE__ */ new Map();
  for (let i = 0; i < planes.length; i += STRIP_READS_AT_ONCE) {
    const chunk = planes.slice(i, i + STRIP_READS_AT_ONCE);
    const strips = await Promise.all(chunk.map((plane) => store.history(plane, RECENT_RESULTS)));
    chunk.forEach((plane, index) => recent.set(plane, strips[index] ?? []));
  }
  return recent;
}

// src/store/availability.ts
import { setImmediate as yieldToLoop2 } from "node:timers/promises";
var AvailabilityCache = class {
  #store;
  #planes;
  #maxAgeMs;
  #chunkSize;
  #onError;
  #byPlane = /* @__PURE__ */ new Map();
  #computedAt;
  #refreshing;
  constructor(store, planes, options = {}) {
    this.#store = store;
    this.#planes = planes;
    this.#maxAgeMs = options.maxAgeMs ?? 3e4;
    this.#chunkSize = options.chunkSize ?? 50;
    this.#onError = options.onError ?? (() => void 0);
  }
  /** Follows a reloaded config: the next read recomputes, so a plane added gets its figures. */
  setPlanes(planes) {
    this.#planes = planes;
    this.#computedAt = void 0;
  }
  /** The plane's figures as last computed (nulls until the first computation ends). */
  get(plane, now = Date.now()) {
    if (this.#computedAt === void 0 || now - this.#computedAt >= this.#maxAgeMs) void this.refresh(now);
    return this.#byPlane.get(plane) ?? { h1: null, h24: null };
  }
  /** Recomputes every plane's figures as of `now`; joins a recomputation already under way. Never rejects. */
  refresh(now = Date.now()) {
    this.#refreshing ??= this.#compute(now).finally(() => {
      this.#refreshing = void 0;
    });
    return this.#refreshing;
  }
  async #compute(now) {
    try {
      const byPlane = /* @__PURE__ */ new Map();
      for (let start = 0; start < this.#planes.length; start += this.#chunkSize) {
        if (start > 0) await yieldToLoop2();
        const planes = this.#planes.slice(start, start + this.#chunkSize);
        const [hour, day] = await Promise.all([
          this.#store.availability(now - 36e5, planes),
          this.#store.availability(now - 864e5, planes)
        ]);
        for (const plane of planes)
          byPlane.set(plane, { h1: ratio(hour.get(plane)), h24: ratio(day.get(plane)) });
      }
      this.#byPlane = byPlane;
    } catch (error) {
      this.#onError(error);
    }
    this.#computedAt = now;
  }
};
function ratio(counts) {
  return counts && counts.total > 0 ? counts.healthy / counts.total : null;
}

// src/maintenance/maintenance-view.ts
var MaintenanceView = class {
  #deps;
  #runtime = /* @__PURE__ */ new Map();
  /** Bumped by every own start or end: a refresh that read the store before it does not undo it. */
  #writes = 0;
  /** Configured spans seen running, by audit key of their start: their end is recorded once they are over. */
  #running = /* @__PURE__ */ new Map();
  constructor(deps) {
    this.#deps = deps;
  }
  #now() {
    return this.#deps.now?.() ?? Date.now();
  }
  /**
   * Follows a reloaded config: each plane's configured windows. Run-time maintenance (the store's) is kept,
   * whatever the plane list says: it ends when it runs out or is ended. A configured window that is no longer
   * listed is recorded as over at the next refresh.
   */
  setWindows(windows) {
    this.#deps = { ...this.#deps, windows };
  }
  /** Whether `plane` is in maintenance at `at`, until when and why. */
  state(plane, at2 = this.#now()) {
    return maintenanceAt(this.#deps.windows.get(plane) ?? [], this.#runtime.get(plane), at2);
  }
  /** Until when `plane` is in maintenance at `at`; null when it is not. */
  until(plane, at2 = this.#now()) {
    return this.state(plane, at2)?.until ?? null;
  }
  /** Starts (or replaces) a plane's run-time maintenance: stored first, then shown and audited. */
  async start(maintenance) {
    await this.#deps.store.start(maintenance);
    this.#writes++;
    this.#runtime.set(maintenance.plane, { ...maintenance });
    await this.#deps.audit.record([
      {
        at: maintenance.startedAt,
        plane: maintenance.plane,
        kind: "maintenance_start",
        actor: maintenance.actor,
        reason: `until ${new Date(maintenance.until).toISOString()}${maintenance.note ? `: ${maintenance.note}` : ""}`
      }
    ]);
    return this.state(maintenance.plane, maintenance.startedAt) ?? fromRuntime(maintenance);
  }
  /**
   * Ends a plane's run-time maintenance; returns it when one was running (else undefined: nothing to end,
   * and nothing audited). A configured window cannot be ended here: it is in the config.
   */
  async end(plane, actor, at2 = this.#now()) {
    const ended = await this.#deps.store.end(plane, at2);
    this.#writes++;
    this.#runtime.delete(plane);
    if (ended) {
      await this.#deps.audit.record([
        {
          at: at2,
          plane,
          kind: "maintenance_end",
          actor,
          reason: `ended early (was until ${new Date(ended.until).toISOString()}${ended.note ? `: ${ended.note}` : ""})`
        }
      ]);
    }
    return ended;
  }
  /**
   * Re-reads run-time maintenance from the store, deletes and audits what ran out, and audits configured
   * windows that started or ended since the last refresh. Rejects when the store does not answer (the view
   * stays as it was).
   */
  async refresh() {
    const now = this.#now();
    const writes = this.#writes;
    const { store, audit, instance } = this.#deps;
    const expired = await store.expire(now);
    const active = await store.active(now);
    if (this.#writes === writes) this.#runtime = new Map(active.map((entry) => [entry.plane, entry]));
    const events = expired.map((entry) => ({
      at: entry.until,
      plane: entry.plane,
      kind: "maintenance_end",
      actor: `daemon:${instance}`,
      reason: `ran out (started by ${entry.actor}${entry.note ? `: ${entry.note}` : ""})`
    }));
    events.push(...this.#configChanges(now));
    await audit.record(events);
  }
  /** Configured windows that started since the last look, and those seen running that are over now. */
  #configChanges(now) {
    const events = [];
    const runningNow = /* @__PURE__ */ new Set();
    for (const [plane, windows] of this.#deps.windows) {
      windows.forEach((window, index) => {
        const span = windowAt(window, now);
        if (span === void 0) return;
        const key2 = `config:${plane}:${index}:${span.from}`;
        runningNow.add(key2);
        if (this.#running.has(key2)) return;
        this.#running.set(key2, { plane, window: index, from: span.from, until: span.until });
        events.push({
          at: span.from,
          plane,
          kind: "maintenance_start",
          actor: "config",
          reason: `window ${index} until ${new Date(span.until).toISOString()}${window.note ? `: ${window.note}` : ""}`,
          key: `${key2}:start`
        });
      });
    }
    for (const [key2, span] of this.#running) {
      if (runningNow.has(key2)) continue;
      this.#running.delete(key2);
      const note = this.#deps.windows.get(span.plane)?.[span.window]?.note ?? "";
      events.push({
        at: span.until,
        plane: span.plane,
        kind: "maintenance_end",
        actor: "config",
        reason: `window ${span.window} over${note ? `: ${note}` : ""}`,
        key: `${key2}:end`
      });
    }
    return events;
  }
};
function fromRuntime(maintenance) {
  return {
    startedAt: maintenance.startedAt,
    until: maintenance.until,
    note: maintenance.note,
    actor: maintenance.actor,
    source: "api"
  };
}

// src/audit/audit-recorder.ts
var AuditRecorder = class {
  #trail;
  #actor;
  #onError;
  #pending = /* @__PURE__ */ new Set();
  constructor(trail, actor, onError) {
    this.#trail = trail;
    this.#actor = actor;
    this.#onError = onError;
  }
  record(kind, plane, reason, at2 = Date.now()) {
    const write = this.#trail.record([{ at: at2, plane, kind, actor: this.#actor, reason }]).catch((error) => this.#onError(error)).finally(() => this.#pending.delete(write));
    this.#pending.add(write);
  }
  /** Waits for the writes on their way (shutdown). */
  async flush() {
    await Promise.all([...this.#pending]);
  }
};

// src/config/reload-plan.ts
import { isDeepStrictEqual } from "node:util";
var RESTART_ONLY = ["storage", "server.listen", "schedule.interval", "github"];
function planReload(old, next, healerRunning) {
  for (const field of RESTART_ONLY) {
    const differs = firstDifference(at(old, field), at(next, field), field);
    if (differs !== void 0) return { refused: `${differs} changed: restart planecheck to apply it` };
  }
  const selfHealSwitch = selfHealEnabledBy(next);
  if (!healerRunning && selfHealSwitch !== void 0 && next.github !== void 0)
    return { refused: `${selfHealSwitch} changed: restart planecheck to turn self-heal on` };
  const before = new Map(old.workloadPlanes.map((plane) => [plane.name, plane]));
  const after = new Set(next.workloadPlanes.map((plane) => plane.name));
  const added = [];
  const changed = [];
  for (const plane of next.workloadPlanes) {
    const held = before.get(plane.name);
    if (held === void 0) added.push(plane.name);
    else if (!isDeepStrictEqual(held, plane)) changed.push(plane.name);
  }
  const removed = old.workloadPlanes.map((plane) => plane.name).filter((name) => !after.has(name));
  const checker = !isDeepStrictEqual(old.platform, next.platform) || old.schedule.concurrency !== next.schedule.concurrency || old.schedule.planeTimeout !== next.schedule.planeTimeout || longestRequestTimeout(old) !== longestRequestTimeout(next);
  const fields = Object.keys(next).filter(
    (key2) => !isDeepStrictEqual(old[key2], next[key2])
  );
  return { changes: { added, removed, changed, checker, fields } };
}
function at(config, field) {
  let value = config;
  for (const key2 of field.split(".")) value = value?.[key2];
  return value;
}
function firstDifference(a, b, path) {
  if (isDeepStrictEqual(a, b)) return void 0;
  if (!isPlainObject(a) || !isPlainObject(b)) return path;
  const keys = [.../* @__PURE__ */ new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const key2 of keys) {
    const inner = firstDifference(a[key2], b[key2], `${path}.${key2}`);
    if (inner !== void 0) return inner;
  }
  return path;
}
function isPlainObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// src/daemon/reload.ts
var LiveConfig = class {
  #config;
  #planeNames;
  #byName;
  constructor(config) {
    this.set(config);
  }
  get config() {
    return this.#config;
  }
  /** The configured planes' names, in the config's order. */
  get planeNames() {
    return this.#planeNames;
  }
  /** A configured plane's settings; undefined for a plane not (or no longer) configured. */
  plane(name) {
    return this.#byName.get(name);
  }
  set(config) {
    this.#config = config;
    this.#planeNames = config.workloadPlanes.map((plane) => plane.name);
    this.#byName = new Map(config.workloadPlanes.map((plane) => [plane.name, plane]));
  }
  /**
   * Whether self-heal may dispatch for the plane under the current config (its own `selfHeal.enabled`, else
   * the section's); never for a plane no longer configured.
   */
  healsPlane(name) {
    const plane = this.#byName.get(name);
    return plane !== void 0 && selfHealEnabledFor(this.#config, plane);
  }
};
async function applyConfig(parts, next, changes) {
  const strips = await readStrips(parts.store, changes.added);
  const checker = changes.checker ? parts.createChecker(next) : void 0;
  const { live, board, cycle, share, maintenance, tlsExpiry, availability, metrics, healer } = parts;
  live.set(next);
  const names = live.planeNames;
  board.setPlanes(names, (plane) => strips.get(plane) ?? [], next.schedule.cacheTtl);
  cycle.reconfigure(next.workloadPlanes, checker);
  share?.setPlanes(names);
  maintenance.setWindows(new Map(next.workloadPlanes.map((plane) => [plane.name, plane.maintenance])));
  tlsExpiry.setPlanes(next.workloadPlanes);
  availability.setPlanes(names);
  const settings = selfHealSettings(next.selfHeal);
  if (healer && settings) healer.reconfigure(settings);
  metrics.setCacheTtl(next.schedule.cacheTtl);
  await metrics.setPlanes(names);
}
function sighupHandler(load, parts, log) {
  if (load === void 0) {
    return {
      onSighup: () => log.warn("SIGHUP: the demo has no config file; nothing to reload"),
      stop: () => Promise.resolve()
    };
  }
  const reloader = new ConfigReloader({
    load,
    live: parts.live,
    healerRunning: parts.healer !== void 0,
    apply: (next, changes) => applyConfig(parts, next, changes),
    metrics: parts.metrics,
    log,
    stderr: (text2) => process.stderr.write(text2)
  });
  return {
    onSighup: () => {
      reloader.request().catch((error) => log.error("config reload failed", { error: getErrorMessage(error) }));
    },
    stop: () => reloader.stop()
  };
}
var ConfigReloader = class {
  #deps;
  #running;
  #again = false;
  #stopped = false;
  constructor(deps) {
    this.#deps = deps;
  }
  /** Reloads now, or after the reload under way; resolves once no reload is pending. */
  request() {
    if (this.#stopped) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#loop().finally(() => {
      this.#running = void 0;
    });
    return this.#running;
  }
  /**
   * Shutdown: no reload starts or applies from now on (it would build a checker after the last one closed).
   * Resolves once a reload already applying has finished.
   */
  stop() {
    this.#stopped = true;
    return this.#running ?? Promise.resolve();
  }
  async #loop() {
    do {
      this.#again = false;
      await this.#reloadOnce();
    } while (this.#again && !this.#stopped);
  }
  async #reloadOnce() {
    const { load, live, log, metrics, stderr } = this.#deps;
    log.info("reloading the config");
    let next;
    try {
      next = await load();
    } catch (error) {
      const message = getErrorMessage(error);
      stderr(error instanceof ConfigError ? `${message}
` : `planecheck: ${message}
`);
      log.error("config reload refused: the new config is invalid; running on the previous one", {
        error: message
      });
      await metrics.recordReload(false);
      return;
    }
    const plan = planReload(live.config, next, this.#deps.healerRunning);
    if ("refused" in plan) {
      stderr(`planecheck: config reload refused: ${plan.refused}
`);
      log.error("config reload refused; running on the previous one", { error: plan.refused });
      await metrics.recordReload(false);
      return;
    }
    const { added, removed, changed, fields } = plan.changes;
    if (this.#stopped) {
      log.info("config reload not applied: planecheck is shutting down");
      return;
    }
    try {
      await this.#deps.apply(next, plan.changes);
    } catch (error) {
      log.error("config reload failed; running on the previous one", { error: getErrorMessage(error) });
      await metrics.recordReload(false);
      return;
    }
    log.info("config reloaded", {
      planes: live.planeNames.length,
      added: added.slice(0, 50),
      removed: removed.slice(0, 50),
      changed: changed.slice(0, 50),
      fields
    });
    await metrics.recordReload(true);
  }
};

// src/daemon.ts
var HELP2 = `Usage: planecheck-daemon --config FILE | --demo  [--listen HOST:PORT] [--instance NAME]

  --config FILE       run against the platform in FILE (or set PLANECHECK_CONFIG)
  --demo              run against a built-in sandbox platform with planes in every state
  --listen HOST:PORT  serve /metrics, /api and the status page here instead of server.listen
                      (default 127.0.0.1:9464; port 0 picks a free one)
  --instance NAME     this daemon's name, on every result it stores and in the status API
                      (or set PLANECHECK_INSTANCE; default HOSTNAME:PID); 1-100 printable characters,
                      no whitespace
`;
var openedAtStartup = [];
async function main() {
  let sighupDuringStart = false;
  let onSighup = () => {
    sighupDuringStart = true;
  };
  process.on("SIGHUP", () => onSighup());
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
      instance: { type: "string" },
      help: { type: "boolean" }
    },
    strict: true
  });
  if (values.help) {
    process.stdout.write(HELP2);
    return 0;
  }
  const listenAt = values.listen === void 0 ? void 0 : parseListenAddress(values.listen, "--listen");
  const instance = resolveInstanceName(values.instance, process.env, {
    hostname: hostname(),
    pid: process.pid
  });
  let sandbox;
  let sandboxGithub;
  let demoDirectory;
  let config;
  let reloadConfig;
  if (values.demo) {
    const [{ SandboxPlatform }, { SandboxGithub }, demo] = await Promise.all([
      import("./chunks/sandbox-platform-MDD36HJV.js"),
      import("./chunks/sandbox-github-S6N6CMKF.js"),
      import("./chunks/demo-WQQS2RJ6.js")
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
${HELP2}`
      );
      return 2;
    }
    config = await loadConfigFile(path, process.env);
    reloadConfig = async () => withListen(await loadConfigFile(path, process.env));
  }
  const withListen = (loaded) => listenAt === void 0 ? loaded : { ...loaded, server: { ...loaded.server, listen: listenAt } };
  config = withListen(config);
  const live = new LiveConfig(config);
  let stdoutOpen = true;
  process.stdout.on("error", (error) => {
    if (!stdoutOpen) return;
    stdoutOpen = false;
    process.stderr.write(
      `planecheck: stdout closed (${error.code ?? error.message}); carrying on without logs
`
    );
  });
  const log = createLogger(
    () => live.config.log.level,
    (line) => {
      if (stdoutOpen) process.stdout.write(line);
    }
  );
  const planeNames = live.planeNames;
  let recoveries = 0;
  const storage = await openStorage(config.storage, {
    onRecovered: (event) => {
      recoveries++;
      log.error(
        "database file was not a usable SQLite database: moved it aside and started a fresh one",
        event
      );
    },
    onCheckpointError: (error) => log.error("could not checkpoint the database WAL", { error: error.message }),
    onBackgroundError: (error) => log.warn("store error in the background", { error: error.message })
  });
  const { store } = storage;
  openedAtStartup.push(() => storage.close());
  const storageHealth = new StorageHealth((view) => {
    if (view.up) log.info("store answering again", { storage: storage.kind });
    else log.error("store not answering", { storage: storage.kind, error: view.error });
  });
  let fleetInstances = [instance];
  const board = await loadStatusBoard(store, planeNames, config.schedule.cacheTtl);
  const maintenance = new MaintenanceView({
    windows: new Map(config.workloadPlanes.map((plane) => [plane.name, plane.maintenance])),
    store: storage.maintenance,
    audit: storage.audit,
    instance
  });
  const auditRecorder = new AuditRecorder(
    storage.audit,
    `daemon:${instance}`,
    (error) => log.warn("could not record an event in the audit trail", { error: getErrorMessage(error) })
  );
  const inMaintenance = () => live.planeNames.filter((plane) => maintenance.until(plane) !== null).join("\n");
  const tlsExpiry = new TlsExpiryTracker(config.workloadPlanes);
  tlsExpiry.start();
  const metrics = new PlanecheckMetrics(planeNames, board, {
    tlsExpiry: () => tlsExpiry.expiries(),
    selfHeal: selfHealOnForSomePlane(config) && config.github !== void 0,
    inMaintenance: (plane) => maintenance.until(plane) !== null,
    planeLabels: (plane) => live.plane(plane)?.labels ?? {},
    intervalMs: config.schedule.interval,
    cacheTtlMs: config.schedule.cacheTtl,
    onRenderError: (error) => log.error("could not render metrics; serving the previous ones", { error: getErrorMessage(error) })
  });
  const availability = new AvailabilityCache(store, planeNames, {
    onError: (error) => {
      metrics.recordStorageError("read");
      log.error("could not compute availability", { error: getErrorMessage(error) });
    }
  });
  for (let i = 0; i < recoveries; i++) metrics.recordStorageRecovery();
  metrics.watchStore(
    () => storageHealth.up,
    () => fleetInstances.length
  );
  const { coordinator, feed } = storage;
  const timings = fleetTimings(config.schedule.interval);
  const share = coordinator && new FleetShareCycle({
    coordinator,
    instance,
    planes: planeNames,
    intervalMs: config.schedule.interval,
    leaseMs: timings.leaseMs,
    liveWindowMs: timings.liveWindowMs,
    timeoutMs: timings.timeoutMs,
    onStorageError: (error, during) => {
      metrics.recordStorageError("share");
      storageHealth.failed("share", error, during);
    },
    // While results cannot be written, claiming would leave this replica's share unstored for everyone:
    // it checks every plane for itself and lets the others claim and store its share.
    holdClaims: () => storageHealth.failing("write"),
    onInstances: (instances) => {
      fleetInstances = instances;
      storageHealth.succeeded("share");
    }
  });
  const sharedResults = feed && new SharedResultsSync({
    feed,
    onResults: (results) => {
      for (const result of results) {
        const change = board.merge(result);
        if (change) log.info("status changed", { ...change, checkedBy: result.checkedBy });
      }
    },
    onError: (error, failures) => {
      metrics.recordStorageError("poll");
      storageHealth.failed("poll", error);
      if (failures === 1)
        log.warn("could not read what other replicas stored", { error: getErrorMessage(error) });
    },
    onRecovered: () => storageHealth.succeeded("poll"),
    // Often enough that a result another replica stored reaches this one well inside the cache TTL.
    pollMs: Math.min(2e3, timings.periodMs)
  });
  const checker = createChecker(config);
  openedAtStartup.push(() => checker.close());
  const shutdown = new AbortController();
  let selfHeal;
  let flushHealLog = () => void 0;
  const cycle = new CheckCycle({
    planes: config.workloadPlanes,
    checker,
    store,
    board,
    metrics,
    log,
    historyRetentionMs: config.storage.historyRetention,
    instance,
    share,
    checkpoint: storage.checkpoint,
    onStored: () => storageHealth.succeeded("write"),
    onStoreFailed: (error) => storageHealth.failed("write", error),
    // Maintenance first (what other replicas started, windows that began), then self-heal decides on it.
    onCycleFinished: (states) => {
      void refreshMaintenance().finally(() => selfHeal?.healer.afterCycle(states));
    }
  });
  const refreshMaintenance = async () => {
    const before = inMaintenance();
    try {
      await maintenance.refresh();
    } catch (error) {
      metrics.recordStorageError("read");
      log.warn("could not read maintenance from the store; keeping what is known", {
        error: getErrorMessage(error)
      });
    }
    if (inMaintenance() !== before) await metrics.maintenanceChanged();
  };
  await refreshMaintenance();
  const keeper = coordinator && new FleetKeeper({
    coordinator,
    instance,
    intervalMs: config.schedule.interval,
    ...timings,
    checkRescued: (planes) => cycle.checkPlanes(planes, shutdown.signal),
    onStorageError: (error, during) => {
      metrics.recordStorageError("share");
      storageHealth.failed("share", error, during);
    },
    onStorageAnswered: () => storageHealth.succeeded("share"),
    onRescued: (planes) => log.info("checking planes a replica left unchecked", {
      planes: planes.length,
      planeNames: planes.slice(0, 20)
    })
  });
  if (selfHealOnForSomePlane(config) && config.github) {
    const { createSelfHeal } = await import("./chunks/create-self-heal-JGMT3OLY.js");
    const healLog = await storage.openHealLog();
    flushHealLog = () => healLog.flush?.();
    metrics.watchGithubBackoff(() => healLog.githubBackoffUntil());
    selfHeal = createSelfHeal({
      config,
      healLog,
      instance,
      // Results wait up to 100 ms for their batch: self-heal counts a plane's results once they are written.
      history: (plane, limit) => cycle.flush().then(() => store.history(plane, limit)),
      recheck: (plane, signal2) => cycle.checkNow(plane, signal2),
      metrics,
      log,
      signal: shutdown.signal,
      maintenanceUntil: (plane, now) => maintenance.until(plane, now),
      // Read from the current config: turned off by a reload, no new dispatch (runs followed go on).
      enabledFor: (plane) => live.healsPlane(plane),
      audit: (kind, plane, reason) => auditRecorder.record(kind, plane, reason)
    });
  }
  const healer = selfHeal?.healer;
  const scheduler = new CycleScheduler({
    intervalMs: config.schedule.interval,
    runCycle: (signal2) => cycle.run(signal2),
    onOverrun: () => {
      metrics.recordOverrun();
      log.warn("cycle skipped: the previous cycle is still running");
    },
    onError: (error) => log.error("cycle failed", { error: getErrorMessage(error) }),
    log,
    onClockStep: (stepMs) => log.warn("wall clock stepped; schedule re-armed", { stepMs }),
    onMissedTicks: (count) => log.warn("scheduled ticks missed", { count })
  });
  const currentStatus = () => statusResponse(
    instance,
    board.states(),
    {
      intervalMs: config.schedule.interval,
      cacheTtlMs: live.config.schedule.cacheTtl,
      running: scheduler.running,
      lastCycleFinishedAt: cycle.lastFinishedAt
    },
    {
      healActions: (plane) => healer?.recentActions(plane).map(healActionView) ?? [],
      healHold: healer ? () => healer.hold() : void 0,
      recent: (plane) => board.recent(plane),
      availability: (plane) => availability.get(plane),
      maintenance: (plane) => maintenance.state(plane),
      labels: (plane) => live.plane(plane)?.labels ?? {},
      selfHealEnabled: (plane) => live.healsPlane(plane)
    },
    Date.now(),
    { kind: storage.kind, ...storageHealth.view },
    fleetInstances
  );
  let storeOpen = true;
  const server = createDaemonServer({
    log,
    auth: () => live.config.server.auth,
    readiness: () => ({
      ready: storeOpen && scheduler.running,
      checks: { store: storeOpen, scheduler: scheduler.running }
    }),
    protectedRoutes: createRoutes({
      metrics,
      status: currentStatus,
      planes: () => live.planeNames,
      history: (plane, limit) => store.history(plane, limit),
      planeStatus: (plane) => board.state(plane).status,
      audit: (limit, before) => storage.audit.page(limit, before),
      runbookUrl: () => live.config.server.runbookUrl
    }),
    writeRoutes: {
      "/api/v1/planes/": maintenanceRoute({
        planes: () => live.planeNames,
        state: (plane, now) => maintenance.state(plane, now),
        start: async (asked) => {
          const state = await maintenance.start(asked);
          log.info("maintenance started", {
            plane: asked.plane,
            until: new Date(asked.until).toISOString(),
            note: asked.note,
            actor: asked.actor
          });
          await metrics.maintenanceChanged();
          return state;
        },
        end: async (plane, actor, now) => {
          const ended = await maintenance.end(plane, actor, now);
          if (ended) log.info("maintenance ended", { plane, actor });
          await metrics.maintenanceChanged();
          return ended;
        },
        actor: () => actorOf(live.config.server.auth)
      })
    },
    writesOpen: listensOnLoopback(config.server.listen)
  });
  const url = await listenOrFreePort(server, config.server.listen, {
    // Only the demo moves to a free port: a configured or explicit address is where Prometheus scrapes.
    fallBack: values.demo && listenAt === void 0,
    log
  });
  openedAtStartup.length = 0;
  healer?.resume();
  sharedResults?.start();
  keeper?.start();
  scheduler.start();
  const reconfigurable = { live, store, board, cycle, share, maintenance, tlsExpiry, availability, metrics };
  const reloads = sighupHandler(reloadConfig, { ...reconfigurable, healer, createChecker }, log);
  onSighup = reloads.onSighup;
  log.info("planecheck started", {
    url,
    instance,
    planes: planeNames.length,
    intervalSeconds: config.schedule.interval / 1e3,
    storage: storage.where,
    selfHeal: healer ? config.selfHeal?.dryRun ? "dry-run" : "on" : "off"
  });
  if (sighupDuringStart) {
    log.info("SIGHUP came during start-up: reloading the config now");
    onSighup();
  }
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
  shutdown.abort();
  onSighup = () => log.info("SIGHUP during shutdown ignored");
  log.info("shutting down", { signal });
  setTimeout(() => {
    log.error("shutdown took too long; exiting");
    process.exit(1);
  }, 1e4).unref();
  const bounded = async (what, ms, work) => {
    try {
      await withTimeout(Promise.resolve(work), ms, what);
    } catch (error) {
      log.error(`shutdown: ${what} did not finish`, { error: getErrorMessage(error) });
    }
  };
  await Promise.all([
    scheduler.stop(),
    bounded("self-heal", 3e3, selfHeal?.stop()),
    bounded("reading the shared store", 1e3, sharedResults?.stop()),
    bounded("the fleet keeper", 1e3, keeper?.stop()),
    // Before the checker closes: a reload applying now may replace it.
    bounded("the config reload under way", 1e3, reloads.stop())
  ]);
  await closeServer(server);
  await cycle.closeChecker();
  await bounded(
    "storing the last results",
    2e3,
    cycle.flush(true).then((stored2) => {
      if (!stored2) throw new Error(`the store refused them`);
    })
  );
  await bounded("the heal log", 1e3, flushHealLog());
  await bounded("the audit trail", 1e3, auditRecorder.flush());
  await bounded("leaving the fleet", 1e3, coordinator?.leave(instance));
  storeOpen = false;
  await bounded("closing the store", 1e3, storage.close());
  await sandbox?.close();
  await sandboxGithub?.close();
  if (demoDirectory !== void 0) rmSync(demoDirectory, { recursive: true, force: true });
  log.info("stopped");
  setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
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
${HELP2}`);
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
